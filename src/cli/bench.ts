// `shipgate bench`: the performance regression guard, base tag vs the working tree, on this host.
import type { Command } from "commander";
import type { BenchConfig } from "../bench/config.js";
import { benchLedgerEntry } from "../bench/ledger.js";
import { changeText, runBench } from "../bench/runner.js";
import { ExitCode, UsageError } from "../errors.js";
import { LedgerWriter } from "../evidence/ledger.js";
import { DEFAULT_GATE_TIMEOUT_MS } from "../gates/engine.js";
import { execShell } from "../gates/exec.js";
import { action } from "./action.js";
import { listFlag, numberFlag } from "./flags.js";
import { interruptible } from "./interrupt.js";
import { globals, loadTarget, outputFor, targetOptions } from "./runtime.js";

interface BenchFlags {
  runs?: string;
  maxRuns?: string;
  thresholdPercent?: string;
  noiseFloor?: string;
  scenarios?: string;
}

/** The config's bench section with the command-line overrides applied and checked. */
export function benchSettings(config: BenchConfig | undefined, flags: BenchFlags): BenchConfig {
  if (!config)
    throw new UsageError(
      "the config has no `bench:` section",
      "add bench: { run: …, format: plasmite } to shipgate.yaml",
    );
  const merged: BenchConfig = {
    ...config,
    runs: numberFlag(flags.runs, "--runs", { integer: true }) ?? config.runs,
    maxRuns: numberFlag(flags.maxRuns, "--max-runs", { integer: true }) ?? config.maxRuns,
    thresholdPercent:
      numberFlag(flags.thresholdPercent, "--threshold-percent", { integer: false }) ??
      config.thresholdPercent,
    noiseFloor:
      numberFlag(flags.noiseFloor, "--noise-floor", { integer: false, allowZero: true }) ?? config.noiseFloor,
    scenarios: listFlag(flags.scenarios, "--scenarios", "append,get_scan") ?? config.scenarios,
  };
  if (merged.maxRuns < merged.runs)
    throw new UsageError(`--max-runs ${merged.maxRuns} is smaller than --runs ${merged.runs}`);
  return merged;
}

export function register(program: Command): void {
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
      action(async (command) => {
        const global = globals(command);
        const out = outputFor(global);
        const flags = command.opts<BenchFlags>();
        const { project, paths, ledger } = await loadTarget(global, command.opts());
        const bench = benchSettings(project.config.bench, flags);
        const writer = LedgerWriter.open(paths, `shipgate bench ${ledger.context.releaseTarget}`);
        const interrupt = interruptible("stopping the benchmark and removing its worktree");
        try {
          const report = await runBench({
            repoRoot: project.repoRoot,
            targetDir: paths.dir,
            baseTag: ledger.context.baseTag,
            bench,
            signal: interrupt.signal,
            log: (text) => out.progress(text.trimEnd()),
            exec: (cmd, options) =>
              execShell(cmd, {
                ...options,
                timeoutMs: options.timeoutMs ?? DEFAULT_GATE_TIMEOUT_MS,
                signal: interrupt.signal,
              }),
          });
          const entry = benchLedgerEntry(report, project.repoRoot);
          writer.update("bench-recorded", { status: report.status }, (l) => {
            l.bench = entry;
          });
          const exitCode =
            report.status === "pass"
              ? ExitCode.pass
              : report.status === "fail"
                ? ExitCode.blocked
                : ExitCode.incomplete;
          out.result({ ok: exitCode === ExitCode.pass, exitCode, ...entry }, [
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
          writer.release();
        }
      }),
    );
}
