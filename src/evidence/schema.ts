// The evidence ledger's versioned schema; every read is validated against it, never silently repaired.
// Objects are strict (an unknown key is refused, not dropped on the next write); the phases and the
// `mechanics` records are derived from the release-step list.
import * as z from "zod";
import { deliverySectionSchema } from "../channels/outcome.js";
import { steps } from "../pipeline/steps/index.js";

export const SCHEMA_VERSION = 1;

export const gateStatusSchema = z.enum(["pending", "running", "pass", "fail", "incomplete", "skipped"]);
export type GateStatus = z.infer<typeof gateStatusSchema>;

const commandRecordSchema = z.strictObject({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable().optional(),
  durationMs: z.number().min(0),
  timedOut: z.boolean().optional(),
  spawnError: z.string().optional(),
});

export const gateRecordSchema = z.strictObject({
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
  /**
   * Set while `running`: the host, pid and start time of the shipgate running it, the marker in its
   * commands' environment and their process groups; the writer after a crash kills what is left by them.
   */
  processes: z
    .strictObject({
      host: z.string(),
      runnerPid: z.number().int(),
      runnerStartTicks: z.number().int().optional(),
      marker: z.string().min(1),
      groups: z.array(
        z.strictObject({ pgid: z.number().int().min(2), startTicks: z.number().int().optional() }),
      ),
    })
    .optional(),
  details: z.unknown().optional(),
  blockerId: z.string().optional(),
});
export type GateRecord = z.infer<typeof gateRecordSchema>;

export const blockerRecordSchema = z.strictObject({
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

export const eventSchema = z.strictObject({
  at: z.string(),
  type: z.string().min(1),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type LedgerEvent = z.infer<typeof eventSchema>;

/** Release phases in order: the two before any step, then each step's phase in step order. */
export const PHASES: readonly string[] = ["initialized", "gates", ...steps.map((s) => s.phase)];

/** Moves the checkpoint forward only: rerunning the gates after tagging leaves the phase `tagged`. */
export function advancePhase(checkpoint: { phase: string }, phase: string): void {
  const current = PHASES.indexOf(checkpoint.phase);
  if (PHASES.indexOf(phase) > current) checkpoint.phase = phase;
}

export const checkpointSchema = z.strictObject({
  updatedAt: z.string(),
  phase: z.enum(PHASES as [string, ...string[]]),
  branch: z.string().nullable(),
  sha: z.string().nullable(),
  remoteTag: z.enum(["unknown", "absent", "present"]).or(z.string()),
  lastRunId: z.string().nullable(),
  lastRunUrl: z.string().nullable(),
  blockerEpicId: z.string().nullable(),
  openBlockers: z.number().int().min(0),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** One optional record per release step, by step name; no other key is accepted. */
export const mechanicsSchema = z.strictObject(
  Object.fromEntries(steps.map((step) => [step.name, step.record.optional()])) as {
    [K in (typeof steps)[number] as K["name"]]: z.ZodOptional<K["record"]>;
  },
);
export type Mechanics = z.infer<typeof mechanicsSchema>;

export const ledgerSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  context: z.strictObject({
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
  /** By channel id: what the channel served when last checked (see channels/outcome.ts). */
  delivery: deliverySectionSchema.default({}),
  events: z.array(eventSchema),
});
export type Ledger = z.infer<typeof ledgerSchema>;
