// The `bench:` key of shipgate.yaml: how to build and run the benchmark on both sides.
import * as z from "zod";
import { durationSchema } from "../config/duration.js";
import { commandListSchema } from "../config/gate-common.js";
import { findFormat, formatNames } from "./formats/index.js";

const BUILT_IN_PLACEHOLDERS = ["side", "out", "runIndex", "scenarios"];

export const benchConfigSchema = z
  .strictObject({
    build: commandListSchema.optional().meta({ description: "run once per side before any timed run" }),
    run: z.string().min(1).meta({
      description:
        "one benchmark run; placeholders {side}, {out}, {runIndex}, {scenarios} and any of `params`",
    }),
    params: z
      .record(z.string().regex(/^\w+$/), z.union([z.string(), z.number()]))
      .default({})
      .meta({ description: "values for your own placeholders in `run`, e.g. { messages: 10000 }" }),
    format: z
      .enum(formatNames)
      .meta({ description: "how a run's output is read: plasmite, hyperfine or generic" }),
    metric: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "result field compared; default per format (ms_per_msg, median, value)" }),
    lowerIsBetter: z.boolean().default(true),
    scenarios: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: "bench names to compare; empty = all" }),
    runs: z.number().int().min(1).default(4).meta({
      description:
        "interleaved runs a side before the first decision; raised to the statistic's minimum (4) when lower",
    }),
    maxRuns: z.number().int().min(1).default(15),
    thresholdPercent: z.number().positive().default(15),
    noiseFloor: z.number().min(0).default(0.0001),
    timeout: durationSchema.optional().meta({ description: "per build or run command" }),
    env: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((bench, ctx) => {
    for (const name of [...bench.run.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)) {
      if (!BUILT_IN_PLACEHOLDERS.includes(name) && !(name in bench.params)) {
        ctx.addIssue({
          code: "custom",
          path: ["run"],
          message: `placeholder {${name}} is neither built in (${BUILT_IN_PLACEHOLDERS.join(", ")}) nor in bench.params`,
        });
      }
    }
  })
  .transform((bench) => ({ ...bench, metric: bench.metric ?? findFormat(bench.format).defaultMetric }));
export type BenchConfig = z.infer<typeof benchConfigSchema>;
