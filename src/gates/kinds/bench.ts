// Gate kind `bench`: the performance regression guard (base tag vs candidate), configured by `bench:`.
import * as z from "zod";
import { benchLedgerEntry } from "../../bench/ledger.js";
import { runBench } from "../../bench/runner.js";
import { decisionMethod } from "../../bench/stats.js";
import { commonGateFields } from "../../config/gate-common.js";
import { defineGateKind } from "../types.js";

export const benchGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("bench"),
});
export type BenchGate = z.infer<typeof benchGateSchema>;

export const benchKind = defineGateKind({
  kind: "bench",
  description:
    "Interleaved base-vs-candidate benchmark; blocks on a regression or on noise it cannot decide.",
  schema: benchGateSchema,
  // The verdict depends on the `bench:` section (commands, threshold, runs), not only on the gate entry,
  // and on the statistic and rule that decide: a pass under another statistic is not reused.
  cacheInputs: (_gate, { config }) => ({ bench: config.bench, decidedBy: decisionMethod() }),
  async run(_gate, ctx) {
    if (!ctx.config.bench)
      return { status: "incomplete", summary: "the config has no `bench:` section to run" };
    const report = await runBench({
      repoRoot: ctx.repoRoot,
      targetDir: ctx.targetDir,
      baseTag: ctx.release.baseTag,
      bench: ctx.config.bench,
      signal: ctx.signal,
      log: (text) => ctx.log.write(text),
      exec: (command, options) => ctx.exec(command, options),
    });
    const entry = benchLedgerEntry(report, ctx.repoRoot);
    ctx.recordBench(entry);
    return { status: report.status, summary: report.summary, details: entry };
  },
});
