// The gate-kind extension point: every kind implements GateKind in one file and is listed once in
// kinds/index.ts, from which the config's `gates:` union is built. Kinds see only the base config.
import type { z } from "zod";
import type { BaseConfig } from "../config/base.js";
import type { ReleaseContext } from "../context/inputs.js";
import type { ExecResult, Outcome } from "../types.js";

export type { CommandRecord, ExecResult, Outcome, OutcomeStatus } from "../types.js";

/** A sink for a gate's log file; every line is redacted before it is written. */
export interface GateLog {
  write(text: string): void;
  /** The last lines written, redacted, for the ledger's excerpt. */
  tail(lines?: number): string;
}

export interface GateContext {
  repoRoot: string;
  /** Directory commands run in: the repo root, or the gate's `cwd` resolved against it. */
  cwd: string;
  release: ReleaseContext;
  /** The target version without its leading "v". */
  version: string;
  config: BaseConfig;
  /** Files changed since the base tag (all tracked files when the base tag is `none`). */
  changedFiles: string[];
  /** Ledger directory of this target: <evidenceDir>/<target>. */
  targetDir: string;
  log: GateLog;
  /** Aborted on timeout or interrupt; kinds must stop promptly and report `incomplete`/`fail`. */
  signal: AbortSignal;
  /** Records the performance guard's result as the ledger's `bench` section (a no-op without a ledger). */
  recordBench(data: Record<string, unknown>): void;
  /** Runs one shell line with bash -c in its own process group, killed as a whole on abort or timeout. */
  exec(command: string, options?: { cwd?: string; env?: Record<string, string> }): Promise<ExecResult>;
}

/** The fields every gate entry has (see config/gate-common.ts); a kind's schema extends them. */
export interface GateEntry {
  id: string;
  kind: string;
  name?: string | undefined;
  when?: { changed: string[] } | undefined;
  requires: string[];
  timeout?: number | undefined;
  env: Record<string, string>;
  cwd?: string | undefined;
  after: string[];
}

export interface GateKind<S extends z.ZodType<GateEntry, unknown> = z.ZodType<GateEntry, unknown>> {
  kind: string;
  /** One-line description for docs and `--help`. */
  description: string;
  /** Zod object schema for this kind's gate entries (common fields + options), strict. */
  schema: S;
  run(gate: z.output<S>, ctx: GateContext): Promise<Outcome>;
  /**
   * What the outcome depends on beyond the gate entry, HEAD and the tracked/untracked tree: e.g. the
   * `bench:` section, ignored build outputs, the upstream ref. It joins the gate's cache key, so a pass
   * is reused (and accepted by mechanics) only while these are unchanged.
   */
  cacheInputs?(gate: z.output<S>, env: { repoRoot: string; config: BaseConfig }): unknown | Promise<unknown>;
}

/** Declares a kind with its schema's type kept, so the registry can build a precise config union. */
export function defineGateKind<S extends z.ZodType<GateEntry, unknown>>(kind: GateKind<S>): GateKind<S> {
  return kind;
}
