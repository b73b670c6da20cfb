// The one factory of GateContext: the engine, the single-kind commands (`versions`, `notices`,
// `contract`) and the tests all build a gate's context here, so a kind sees the same world everywhere.
import path from "node:path";
import type { BaseConfig } from "../config/base.js";
import { type ReleaseContext, versionOf } from "../context/inputs.js";
import { GATE_MARKER_ENV } from "../evidence/processes.js";
import type { ExecResult } from "../types.js";
import { execShell } from "./exec.js";
import type { GateContext, GateEntry, GateLog } from "./types.js";

export interface GateContextOptions {
  gate: GateEntry;
  config: BaseConfig;
  repoRoot: string;
  release: ReleaseContext;
  changedFiles: string[];
  /** <evidenceDir>/<target>; where kinds put their own files (the bench's worktree and raw results). */
  targetDir: string;
  log: GateLog;
  signal: AbortSignal;
  /** Commands get what is left of this many milliseconds (the gate's timeout) each. */
  deadline?: number;
  recordBench?: (data: Record<string, unknown>) => void;
  /** Told about every command that timed out, so the engine can turn a pass into a fail. */
  onTimeout?: () => void;
  /** Marks the gate's commands (environment) and hears of each process group they start. */
  processes?: GateProcessTracking | undefined;
}

export interface GateProcessTracking {
  /** Put in every command's environment as GATE_MARKER_ENV: proof, after a crash, that a process is ours. */
  marker: string;
  onSpawn(pgid: number): void;
}

/** A gate's working directory: its `cwd` resolved against the repository root. */
export function gateCwd(gate: GateEntry, repoRoot: string): string {
  return gate.cwd ? path.resolve(repoRoot, gate.cwd) : repoRoot;
}

export function createGateContext(options: GateContextOptions): GateContext {
  const { gate, log } = options;
  const cwd = gateCwd(gate, options.repoRoot);
  return {
    repoRoot: options.repoRoot,
    cwd,
    release: options.release,
    version: versionOf(options.release.releaseTarget),
    config: options.config,
    changedFiles: options.changedFiles,
    targetDir: options.targetDir,
    log,
    signal: options.signal,
    recordBench: options.recordBench ?? (() => {}),
    exec: async (command, execOptions = {}): Promise<ExecResult> => {
      log.write(`$ ${command}\n`);
      const result = await execShell(command, {
        cwd: execOptions.cwd ?? cwd,
        env: {
          ...gate.env,
          ...execOptions.env,
          ...(options.processes ? { [GATE_MARKER_ENV]: options.processes.marker } : {}),
        },
        ...(options.processes ? { onSpawn: options.processes.onSpawn } : {}),
        ...(options.deadline === undefined ? {} : { timeoutMs: Math.max(1, options.deadline - Date.now()) }),
        signal: options.signal,
        onOutput: (chunk) => log.write(chunk),
      });
      log.write(
        `\n[exit ${result.exitCode ?? result.signal ?? "?"} after ${result.durationMs} ms${result.timedOut ? ", timed out" : ""}]\n`,
      );
      if (result.timedOut) options.onTimeout?.();
      return result;
    },
  };
}
