// Human vs --json output: in JSON mode stdout carries exactly one JSON value; progress goes to stderr.
import { styleText } from "node:util";

type Style = Parameters<typeof styleText>[0];

export function colorEnabled(noColorFlag: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (noColorFlag || process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY);
}

export class Output {
  constructor(
    readonly json: boolean,
    readonly color: boolean,
  ) {}

  style(style: Style, text: string): string {
    return this.color ? styleText(style, text) : text;
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
    (this.json ? process.stderr : process.stdout).write(`${text}\n`);
  }

  /** The command's result: a JSON value in JSON mode, else the human text. */
  result(value: unknown, human: string | string[]): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else {
      const text = Array.isArray(human) ? human.join("\n") : human;
      if (text) process.stdout.write(`${text}\n`);
    }
  }

  error(message: string, hint: string | undefined, exitCode: number): void {
    process.stderr.write(`shipgate: error: ${message}\n`);
    if (hint) process.stderr.write(`hint: ${hint}\n`);
    if (this.json)
      process.stdout.write(`${JSON.stringify({ ok: false, exitCode, error: message, hint }, null, 2)}\n`);
  }
}
