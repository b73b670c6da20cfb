// Shared value types used across layers (gate outcomes, command records). A leaf: it imports nothing,
// so any module may depend on it without creating an import cycle.

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

/** What a check decided. Blocking = fail or incomplete. `skipped` only for an unmatched trigger. */
export interface Outcome {
  status: OutcomeStatus;
  summary: string;
  details?: unknown;
  commands?: CommandRecord[];
  excerpt?: string;
}

export interface ExecResult extends CommandRecord {
  /** Combined stdout+stderr, redacted (also written to the gate log). */
  output: string;
}

/** What a blocker is filed for: the check, its title and summary, and any workflow-run evidence. */
export interface BlockerRequest {
  check: string;
  title: string;
  summary: string;
  rerunCommand?: string;
  runId?: string;
  runUrl?: string;
  failedJobs?: string[];
  failingCommand?: string;
  logSnippet?: string;
}
