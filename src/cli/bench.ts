// `shipgate bench`: the performance regression guard, base tag vs the working tree, on this host.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { listFlag, numberFlag } from "./flags.js";
import { interruptible } from "./interrupt.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";

interface BenchFlags {
  runs?: string;
  maxRuns?: string;
  thresholdPercent?: string;
  noiseFloor?: string;
  scenarios?: string;
}

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("bench"))
    .description(
      "compare the base tag with the working tree (exit 0 ok, 1 regressed or undecidable, 3 incomplete)",
    )
    .option("--runs <n>", "interleaved runs a side to start with (default 4, the statistic's minimum)")
    .option("--max-runs <n>", "most runs a side while a verdict is inconclusive (default 15)")
    .option("--threshold-percent <p>", "regression that blocks (default 15)")
    .option("--noise-floor <ms>", "ignore scenarios whose medians are both below this (default 0.0001)")
    .option(
      "--scenarios <names>",
      "comma-separated bench names to compare, e.g. append,multi_writer,get_scan",
    )
    .action(
      action(inv, async (command, out) => {
        const flags = command.opts<BenchFlags>();
        const overrides = {
          runs: numberFlag(flags.runs, "--runs", { integer: true }),
          maxRuns: numberFlag(flags.maxRuns, "--max-runs", { integer: true }),
          thresholdPercent: numberFlag(flags.thresholdPercent, "--threshold-percent", { integer: false }),
          noiseFloor: numberFlag(flags.noiseFloor, "--noise-floor", { integer: false, allowZero: true }),
          scenarios: listFlag(flags.scenarios, "--scenarios", "append,get_scan"),
        };
        const { runGuard } = await import("../bench/guard.js");
        const { changeText } = await import("../bench/method.js");
        const interrupt = interruptible("stopping the benchmark and removing its worktree", inv.io);
        try {
          const { exitCode, report, entry, next } = await runGuard(
            projectOptions(command),
            targetFlags(command),
            overrides,
            { signal: interrupt.signal, log: (text) => out.progress(text.trimEnd()) },
          );
          out.result({ ok: exitCode === ExitCode.pass, exitCode, ...entry, next }, [
            `${out.status(report.status)}: ${report.summary}`,
            ...report.scenarios.map(
              (s) =>
                `  ${s.verdict.padEnd(12)} ${s.scenario}  ${s.regressionPercent === null ? "" : changeText(s, report.method.confidence)}`,
            ),
            `decided by ${report.method.statistic} from ${report.method.startRuns} runs a side${report.method.notes.map((n) => `; ${n}`).join("")}`,
            ...(report.files ? [`summary: ${report.files.md}`] : []),
          ]);
          return exitCode;
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
