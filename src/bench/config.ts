// The `bench:` key of shipgate.yaml: how to build and run the benchmark on both sides.
import { z } from "zod";
import { durationSchema } from "../config/duration.js";
import { commandListSchema } from "../config/gate-common.js";

export const benchConfigSchema = z.strictObject({
  build: commandListSchema.optional().meta({ description: "run once per side before any timed run" }),
  run: z
    .string()
    .min(1)
    .meta({ description: "one benchmark run; placeholders {side}, {out}, {runIndex}, {scenarios}" }),
  format: z.enum(["plasmite", "hyperfine", "generic"]).default("plasmite"),
  metric: z.string().min(1).default("ms_per_msg"),
  lowerIsBetter: z.boolean().default(true),
  scenarios: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: "bench names to compare; empty = all" }),
  runs: z.number().int().min(1).default(3),
  maxRuns: z.number().int().min(1).default(15),
  thresholdPercent: z.number().positive().default(15),
  noiseFloor: z.number().min(0).default(0.0001),
  timeout: durationSchema.optional().meta({ description: "per build or run command" }),
  env: z.record(z.string(), z.string()).default({}),
});
export type BenchConfig = z.infer<typeof benchConfigSchema>;
