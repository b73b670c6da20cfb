// Test helper: runs shipgate in-process through the program's own `run()` (as the binary does, with
// captured streams), or as a real child process where a process is the point (locks, signals, the
// binary's exit codes, concurrency).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../../src/cli/program.js";
import { resetRedactor } from "../../src/evidence/redact.js";

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/bin/shipgate.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws if it is not exactly one JSON value). */
  json<T = Record<string, unknown>>(): T;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

const BASE_ENV = { NO_COLOR: "1", FORCE_COLOR: "0" };
let running = false;

/**
 * In-process: the working directory and environment of the invocation are applied to this process for
 * its duration (shipgate reads them as the binary would) and restored afterwards. One at a time: tests
 * that need concurrent invocations use spawnCli.
 */
export async function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  if (running) throw new Error("runCli: one in-process invocation at a time; use spawnCli for concurrency");
  running = true;
  const saved = { ...process.env };
  const savedCwd = process.cwd();
  let stdout = "";
  let stderr = "";
  try {
    Object.assign(process.env, BASE_ENV, options.env);
    for (const [k, v] of Object.entries(options.env ?? {})) if (v === undefined) delete process.env[k];
    process.chdir(options.cwd);
    resetRedactor();
    const code = await run(["node", "shipgate", ...args], {
      stdout: {
        write: (t: string) => {
          stdout += t;
        },
        isTTY: false,
      },
      stderr: {
        write: (t: string) => {
          stderr += t;
        },
      },
      env: process.env,
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  } finally {
    process.chdir(savedCwd);
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetRedactor();
    running = false;
  }
}

/** The built `shipgate` executable as a real child process. */
export function spawnCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...BASE_ENV, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
    });
    child.stdin.end(options.input ?? "");
  });
}
