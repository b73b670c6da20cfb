// Human vs --json output, written to the streams of one CLI invocation (the process's, or a test's).
// In JSON mode stdout carries exactly one JSON value, and every result says what to do next.
import { styleText } from "node:util";
import type { NextStep } from "../evidence/next-step.js";

type Style = Parameters<typeof styleText>[0];

export interface Sink {
  write(text: string): unknown;
}

/** Where one invocation reads its environment and writes its output. */
export interface CliIo {
  stdout: Sink & { isTTY?: boolean | undefined };
  stderr: Sink;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export function colorEnabled(noColorFlag: boolean, io: CliIo): boolean {
  if (noColorFlag || io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== "0") return true;
  return Boolean(io.stdout.isTTY);
}

/**
 * An error is one line whatever it quotes: line breaks (e.g. commander's "(Did you mean …?)") become
 * spaces, and other control characters are shown escaped so they cannot drive the terminal.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .trim();
}

/** Every result carries `next`: the command to run now, or null when the release is done. */
export type Result = { next: NextStep | null } & Record<string, unknown>;

export class Output {
  constructor(
    readonly io: CliIo,
    readonly json: boolean,
    readonly color: boolean,
  ) {}

  style(style: Style, text: string): string {
    return this.color ? styleText(style, text, { validateStream: false }) : text;
  }

  /** Status words coloured by meaning. */
  status(status: string): string {
    const styles: Record<string, Style> = {
      pass: "green",
      fail: "red",
      incomplete: "yellow",
      pending: "yellow",
      stale: "yellow",
      running: "cyan",
      skipped: "gray",
      open: "red",
      resolved: "green",
      closed: "gray",
    };
    return this.style(styles[status] ?? "white", status);
  }

  /** Progress and notes: stderr in JSON mode so stdout stays one JSON value. */
  progress(text: string): void {
    (this.json ? this.io.stderr : this.io.stdout).write(`${text}\n`);
  }

  /** The command's result: a JSON value in JSON mode, else the human text ending with the next step. */
  result(value: Result, human: string | string[]): void {
    if (this.json) {
      this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    const lines = Array.isArray(human) ? [...human] : human ? [human] : [];
    if (value.next) lines.push(`next: ${value.next.reason}: ${value.next.command.join(" ")}`);
    if (lines.length > 0) this.io.stdout.write(`${lines.join("\n")}\n`);
  }

  /** A raw value (e.g. the JSON Schema): the output itself, with or without --json. */
  raw(text: string): void {
    this.io.stdout.write(text);
  }

  error(rawMessage: string, rawHint: string | undefined, exitCode: number, fix?: string[]): void {
    const message = oneLine(rawMessage);
    const hint = rawHint === undefined ? undefined : oneLine(rawHint);
    this.io.stderr.write(`shipgate: error: ${message}\n`);
    if (hint) this.io.stderr.write(`hint: ${hint}\n`);
    if (this.json) {
      const next = fix ? { command: fix, reason: hint ?? message } : null;
      this.io.stdout.write(
        `${JSON.stringify({ ok: false, exitCode, error: message, hint, next }, null, 2)}\n`,
      );
    }
  }
}
