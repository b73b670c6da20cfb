// Runs one shell line as its own process group, so a timeout or Ctrl-C kills the whole tree.
import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { isSecretName, redactor } from "../evidence/redact.js";
import type { ExecResult } from "./types.js";

export interface ExecOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Kill the process group after this long; the result then has timedOut: true. */
  timeoutMs?: number;
  /** Aborting kills the process group (interrupt); the result's exitCode is then null. */
  signal?: AbortSignal;
  /** Receives output chunks as they arrive, already redacted. */
  onOutput?: (chunk: string) => void;
  /** Grace period between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /**
   * Told the new process group's id as soon as it exists (synchronously, before any output), so it can
   * be put on record for whoever must clean up after a killed shipgate.
   */
  onSpawn?: (pgid: number) => void;
}

// Keeps memory bounded for chatty commands; the full output still reaches onOutput (the log file).
const MAX_CAPTURE = 1024 * 1024;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

export function execShell(command: string, options: ExecOptions): Promise<ExecResult> {
  const started = Date.now();
  const scrub = redactor();
  // A secret-named variable handed to the child is a secret even if it was not in our own environment.
  scrub.registerSecrets(
    Object.entries(options.env ?? {})
      .filter(([name]) => isSecretName(name))
      .map(([, value]) => value),
  );
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (result: Omit<ExecResult, "command" | "durationMs" | "output">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ command, durationMs: Date.now() - started, output, ...result });
    };

    if (options.signal?.aborted) {
      finish({ exitCode: null, signal: null, spawnError: "not started: the run was interrupted" });
      return;
    }
    const child = spawn("bash", ["-c", command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      // A new process group: killing -pid reaches every descendant, not just bash.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stop = () => {
      if (child.pid === undefined) return;
      killGroup(child.pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(child.pid as number, "SIGKILL"), options.killGraceMs ?? 2000);
    };
    const onAbort = () => stop();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const timeoutTimer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs)
      : undefined;

    const emit = (text: string) => {
      if (text === "") return;
      if (output.length < MAX_CAPTURE) output += text;
      options.onOutput?.(text);
    };
    // One redacting stream per pipe: it emits whole lines, and an overlong line in prefixes that never
    // end inside a token, so a token split across chunks (or a 64 KB boundary) is never emitted by halves.
    const lineBuffered = () => {
      const decoder = new StringDecoder("utf8");
      const stream = scrub.stream();
      return {
        data: (data: Buffer) => emit(stream.write(decoder.write(data))),
        flush: () => emit(stream.write(decoder.end()) + stream.end()),
      };
    };
    const out = lineBuffered();
    const err = lineBuffered();
    child.stdout.on("data", out.data);
    child.stderr.on("data", err.data);
    child.on("error", (err) => finish({ exitCode: null, signal: null, spawnError: err.message }));
    child.on("close", (code, signal) => {
      out.flush();
      err.flush();
      // bash may exit before its children: nothing of the group may outlive the gate.
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      finish({ exitCode: code, signal, ...(timedOut ? { timedOut: true } : {}) });
    });
  });
}
