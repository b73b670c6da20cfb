// What the ledger's `delivery` section keeps per channel (keyed by channel id): the last observation of
// what the channel serves, and the install smoke when one ran. Validated on every read of the ledger.
import * as z from "zod";

export const CHANNEL_STATUSES = ["live", "missing", "wrong", "incomplete"] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const smokeRecordSchema = z.strictObject({
  command: z.string(),
  status: z.enum(["pass", "fail"]),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number().min(0),
  logPath: z.string(),
  excerpt: z.string().optional(),
});
export type SmokeRecord = z.infer<typeof smokeRecordSchema>;

export const deliveryEntrySchema = z.strictObject({
  kind: z.string(),
  status: z.enum(CHANNEL_STATUSES),
  summary: z.string(),
  /** The URL asked last. */
  url: z.string().nullable(),
  versionExpected: z.string(),
  /** The version the channel reported, when it reported one. */
  versionSeen: z.string().nullable(),
  checkedAt: z.string(),
  /** Wall time of this channel's checks, retries and smoke included. */
  durationMs: z.number().min(0),
  attempts: z.number().int().min(0),
  dryRun: z.boolean(),
  smoke: smokeRecordSchema.optional(),
});
export type DeliveryEntry = z.infer<typeof deliveryEntrySchema>;

export const deliverySectionSchema = z.record(z.string(), deliveryEntrySchema);
