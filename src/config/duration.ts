// Durations in shipgate.yaml: a number of seconds, or a string like "90s", "10m", "1h", "500ms".
import * as z from "zod";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;

export function parseDuration(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
  const match = DURATION_RE.exec(value.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  return ms > 0 ? ms : undefined;
}

/** Accepts seconds or a unit string; yields milliseconds. */
export const durationSchema = z
  .union([z.number(), z.string()])
  .meta({ description: 'seconds, or a string such as "90s", "10m", "1h"' })
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `expected a positive duration such as 90, "90s" or "10m", got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return ms;
  });
