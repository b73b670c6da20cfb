// The install smoke: once a channel is live, its `installSmoke` command ({version}, {tag}) runs in a
// fresh temporary directory with a clean HOME and tool homes under it (npm prefix, cargo, Go), so it
// proves a user's first install rather than this machine's caches. Output goes to a redacted log.
import { chmod, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execShell } from "../gates/exec.js";
import { FileGateLog } from "../gates/log.js";
import type { SmokeRecord } from "./outcome.js";

export const DEFAULT_SMOKE_TIMEOUT_MS = 10 * 60_000;
const EXCERPT_LINES = 20;

export interface SmokeOptions {
  version: string;
  tag: string;
  /** Variables the channel adds, e.g. the registry it checked. */
  env?: Record<string, string> | undefined;
  timeoutMs?: number | undefined;
  logFile: string;
  signal?: AbortSignal;
}

export function smokeCommand(template: string, version: string, tag: string): string {
  return template.replaceAll("{version}", version).replaceAll("{tag}", tag);
}

/** Tool caches are often written read-only (Go's module cache); make them removable first. */
async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
    return;
  } catch {
    // fall through
  }
  const walk = async (d: string): Promise<void> => {
    await chmod(d, 0o700).catch(() => {});
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
    }
  };
  await walk(dir);
  await rm(dir, { recursive: true, force: true }).catch(() => {});
}

export async function runSmoke(template: string, options: SmokeOptions): Promise<SmokeRecord> {
  const command = smokeCommand(template, options.version, options.tag);
  const root = await mkdtemp(path.join(os.tmpdir(), "shipgate-smoke-"));
  const home = path.join(root, "home");
  const work = path.join(root, "work");
  const prefix = path.join(root, "prefix");
  await Promise.all([home, work, prefix].map((d) => mkdir(d, { recursive: true })));
  const log = new FileGateLog(options.logFile);
  log.write(`$ ${command}\n`);
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    npm_config_prefix: prefix,
    npm_config_cache: path.join(home, ".npm"),
    npm_config_update_notifier: "false",
    CARGO_HOME: path.join(home, ".cargo"),
    GOPATH: path.join(home, "go"),
    PIP_USER: "0",
    PATH: [
      path.join(prefix, "bin"),
      path.join(home, ".cargo", "bin"),
      path.join(home, "go", "bin"),
      path.join(home, ".local", "bin"),
      process.env.PATH ?? "/usr/bin:/bin",
    ].join(path.delimiter),
    ...options.env,
  };
  try {
    const result = await execShell(command, {
      cwd: work,
      env,
      timeoutMs: options.timeoutMs ?? DEFAULT_SMOKE_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
      onOutput: (text) => log.write(text),
    });
    const timedOut = result.timedOut === true;
    const passed = result.exitCode === 0 && !timedOut && !result.spawnError;
    if (result.spawnError) log.write(`\n${result.spawnError}\n`);
    if (timedOut)
      log.write(`\nkilled: no exit within ${(options.timeoutMs ?? DEFAULT_SMOKE_TIMEOUT_MS) / 1000}s\n`);
    const excerpt = log.tail(EXCERPT_LINES);
    return {
      command,
      status: passed ? "pass" : "fail",
      exitCode: result.exitCode,
      timedOut,
      durationMs: result.durationMs,
      logPath: options.logFile,
      ...(excerpt ? { excerpt } : {}),
    };
  } finally {
    await removeTree(root);
  }
}
