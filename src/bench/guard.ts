// `bench`: the performance regression guard for a target — base tag vs the working tree on this host —
// with the command line's overrides applied, its verdict written to the ledger's `bench` section.
import type { Project, ProjectOptions } from "../context/project.js";
import { ExitCode, UsageError } from "../errors.js";
import { type LedgerWriter, withWriter } from "../evidence/ledger.js";
import { type NextStep, nextStep } from "../evidence/next-step.js";
import { loadTarget, type TargetFlags } from "../evidence/target.js";
import { execShell } from "../gates/exec.js";
import { DEFAULT_GATE_TIMEOUT_MS } from "../gates/execute.js";
import type { BenchConfig } from "./config.js";
import { benchLedgerEntry, saveBench } from "./ledger.js";
import { type BenchReport, runBench } from "./runner.js";

export interface BenchOverrides {
  runs?: number | undefined;
  maxRuns?: number | undefined;
  thresholdPercent?: number | undefined;
  noiseFloor?: number | undefined;
  scenarios?: string[] | undefined;
}

/** The config's bench section with the command-line overrides applied and checked. */
export function benchSettings(config: BenchConfig | undefined, overrides: BenchOverrides): BenchConfig {
  if (!config)
    throw new UsageError(
      "the config has no `bench:` section",
      "add bench: { run: …, format: plasmite } to shipgate.yaml",
    );
  const merged: BenchConfig = {
    ...config,
    runs: overrides.runs ?? config.runs,
    maxRuns: overrides.maxRuns ?? config.maxRuns,
    thresholdPercent: overrides.thresholdPercent ?? config.thresholdPercent,
    noiseFloor: overrides.noiseFloor ?? config.noiseFloor,
    scenarios: overrides.scenarios ?? config.scenarios,
  };
  if (merged.maxRuns < merged.runs)
    throw new UsageError(`--max-runs ${merged.maxRuns} is smaller than --runs ${merged.runs}`);
  return merged;
}

export interface GuardResult {
  exitCode: number;
  report: BenchReport;
  entry: Record<string, unknown>;
  next: NextStep | null;
}

export async function runGuard(
  options: ProjectOptions,
  flags: TargetFlags,
  overrides: BenchOverrides,
  run: { signal: AbortSignal; log: (text: string) => void },
): Promise<GuardResult> {
  const { project, paths, ledger } = await loadTarget(options, flags);
  const bench = benchSettings(project.config.bench, overrides);
  return withWriter(paths, `shipgate bench ${ledger.context.releaseTarget}`, async (writer) =>
    runGuardWith(project, writer, bench, run),
  );
}

/** The guard under a writer the caller already holds (`bench`, and `run`'s bench phase). */
export async function runGuardWith(
  project: Project,
  writer: LedgerWriter,
  bench: BenchConfig,
  run: { signal: AbortSignal; log: (text: string) => void },
): Promise<GuardResult> {
  const ledger = writer.ledger;
  const paths = writer.paths;
  writer.config = project.config;
  const report = await runBench({
    repoRoot: project.repoRoot,
    targetDir: paths.dir,
    baseTag: ledger.context.baseTag,
    bench,
    signal: run.signal,
    log: run.log,
    exec: (cmd, execOptions) =>
      execShell(cmd, {
        ...execOptions,
        timeoutMs: execOptions.timeoutMs ?? DEFAULT_GATE_TIMEOUT_MS,
        signal: run.signal,
      }),
  });
  const entry = benchLedgerEntry(report, project.repoRoot);
  saveBench(writer, entry, "shipgate bench");
  const exitCode =
    report.status === "pass"
      ? ExitCode.pass
      : report.status === "fail"
        ? ExitCode.blocked
        : ExitCode.incomplete;
  const target = ledger.context.releaseTarget;
  return {
    exitCode,
    report,
    entry,
    next:
      exitCode === ExitCode.pass
        ? nextStep(writer.ledger, { config: project.config })
        : {
            command: ["shipgate", "bench", "--release-target", target],
            reason:
              exitCode === ExitCode.blocked
                ? "find and fix the regression (see the summary), then measure again"
                : "the benchmark could not decide; see its log, fix it and measure again",
          },
  };
}
