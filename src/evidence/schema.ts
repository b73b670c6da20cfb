// The evidence ledger's versioned schema; every read is validated against it, never silently repaired.
import { z } from "zod";

export const SCHEMA_VERSION = 1;

export const gateStatusSchema = z.enum(["pending", "running", "pass", "fail", "incomplete", "skipped"]);
export type GateStatus = z.infer<typeof gateStatusSchema>;

const commandRecordSchema = z.object({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable().optional(),
  durationMs: z.number().min(0),
  timedOut: z.boolean().optional(),
  spawnError: z.string().optional(),
});

export const gateRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  status: gateStatusSchema,
  summary: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().min(0).optional(),
  commands: z.array(commandRecordSchema).default([]),
  excerpt: z.string().optional(),
  logPath: z.string().optional(),
  cacheKey: z.string().optional(),
  /** True when the outcome was reused from an earlier run with the same cache key. */
  cached: z.boolean().optional(),
  /** pid of the run that set status `running`; lets a reader tell an orphaned `running` from a live one. */
  runnerPid: z.number().int().optional(),
  details: z.unknown().optional(),
  blockerId: z.string().optional(),
});
export type GateRecord = z.infer<typeof gateRecordSchema>;

export const blockerRecordSchema = z.object({
  id: z.string(),
  check: z.string(),
  title: z.string(),
  state: z.enum(["open", "resolved", "closed"]),
  tracker: z.string(),
  filedAt: z.string(),
  resolvedAt: z.string().optional(),
  url: z.string().optional(),
});
export type BlockerRecord = z.infer<typeof blockerRecordSchema>;

export const eventSchema = z.object({
  at: z.string(),
  type: z.string().min(1),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type LedgerEvent = z.infer<typeof eventSchema>;

/** Release phases in order; later mechanics (build, publish, delivery) append theirs. */
export const PHASES = ["initialized", "gates", "tagged"] as const;
export type Phase = (typeof PHASES)[number];

/** Moves the checkpoint forward only: rerunning the gates after tagging leaves the phase `tagged`. */
export function advancePhase(checkpoint: { phase: string }, phase: Phase): void {
  const current = PHASES.indexOf(checkpoint.phase as Phase);
  if (PHASES.indexOf(phase) > current) checkpoint.phase = phase;
}

export const checkpointSchema = z.object({
  updatedAt: z.string(),
  phase: z.string(),
  branch: z.string().nullable(),
  sha: z.string().nullable(),
  remoteTag: z.enum(["unknown", "absent", "present"]).or(z.string()),
  lastRunId: z.string().nullable(),
  lastRunUrl: z.string().nullable(),
  blockerEpicId: z.string().nullable(),
  openBlockers: z.number().int().min(0),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The tag step's record: planned (dry run), created locally, then pushed once the remote serves it. */
export const tagRecordSchema = z.object({
  tag: z.string(),
  sha: z.string(),
  remote: z.string(),
  dryRun: z.boolean(),
  actions: z.array(z.enum(["create", "push"])).optional(),
  plannedAt: z.string().optional(),
  createdAt: z.string().optional(),
  pushed: z.boolean().optional(),
  verifiedAt: z.string().optional(),
});
export type TagRecord = z.infer<typeof tagRecordSchema>;

/** Mechanics steps by name; later steps (build run, publish) add their own records beside `tag`. */
export const mechanicsSchema = z.object({ tag: tagRecordSchema.optional() }).catchall(z.unknown());

export const ledgerSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  context: z.object({
    releaseTarget: z.string(),
    baseTag: z.string(),
    mode: z.enum(["dry-run", "live"]),
    agent: z.string(),
    initializedAt: z.string(),
  }),
  checkpoint: checkpointSchema,
  gates: z.record(z.string(), gateRecordSchema),
  blockers: z.array(blockerRecordSchema).default([]),
  bench: z.record(z.string(), z.unknown()).nullable().default(null),
  mechanics: mechanicsSchema.default({}),
  delivery: z.record(z.string(), z.unknown()).default({}),
  events: z.array(eventSchema),
});
export type Ledger = z.infer<typeof ledgerSchema>;
