// The gate-kind extension point: every built-in kind implements GateKind and is listed in kinds/index.ts.
import type { z } from "zod";
import type { ShipgateConfig } from "../config/schema.js";
import type { ReleaseContext } from "../context/inputs.js";

export type OutcomeStatus = "pass" | "fail" | "incomplete" | "skipped";

/** One command a gate ran, as recorded in the ledger. */
export interface CommandRecord {
  command: string;
  exitCode: number | null;
  signal?: string | null;
  durationMs: number;
  timedOut?: boolean;
  /** Set when the command could not be started at all (missing shell, bad cwd). */
  spawnError?: string;
}

/** What a gate decided. Blocking = fail or incomplete. `skipped` only for an unmatched trigger. */
export interface Outcome {
  status: OutcomeStatus;
  summary: string;
  details?: unknown;
  commands?: CommandRecord[];
  excerpt?: string;
}

/** A sink for a gate's log file; every line is redacted before it is written. */
export interface GateLog {
  write(text: string): void;
  /** The last lines written, redacted, for the ledger's excerpt. */
  tail(lines?: number): string;
}

export interface ExecResult extends CommandRecord {
  /** Combined stdout+stderr, redacted (also written to the gate log). */
  output: string;
}

export interface GateContext {
  repoRoot: string;
  /** Directory commands run in: the repo root, or the gate's `cwd` resolved against it. */
  cwd: string;
  release: ReleaseContext;
  /** The target version without its leading "v". */
  version: string;
  config: ShipgateConfig;
  /** Files changed since the base tag (all tracked files when the base tag is `none`). */
  changedFiles: string[];
  /** Ledger directory of this target: <evidenceDir>/<target>. */
  targetDir: string;
  log: GateLog;
  /** Aborted on timeout or interrupt; kinds must stop promptly and report `incomplete`/`fail`. */
  signal: AbortSignal;
  /** Records the performance guard's result as the ledger's `bench` section. */
  recordBench(data: Record<string, unknown>): void;
  /** Runs one shell line with bash -c in its own process group, killed as a whole on abort. */
  exec(command: string, options?: { cwd?: string; env?: Record<string, string> }): Promise<ExecResult>;
}

export interface GateKind<O extends { id: string } = { id: string; kind: string }> {
  kind: string;
  /** One-line description for docs and `--help`. */
  description: string;
  /** Zod object schema for this kind's gate entries (common fields + options), strict. */
  schema: z.ZodType<O, unknown>;
  run(gate: O, ctx: GateContext): Promise<Outcome>;
  /**
   * What the outcome depends on beyond the gate entry, HEAD and the tracked/untracked tree: e.g. the
   * `bench:` section, ignored build outputs, the upstream ref. It joins the gate's cache key, so a pass
   * is reused (and accepted by mechanics) only while these are unchanged.
   */
  cacheInputs?(gate: O, env: { repoRoot: string; config: ShipgateConfig }): unknown | Promise<unknown>;
}
