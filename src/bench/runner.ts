// The performance regression guard: base tag (in a worktree) vs candidate (the working tree), both
// built first, then interleaved runs (A B A B …), adding pairs while a verdict is inconclusive.
export { type BenchMethod, benchMethod, changeText } from "./method.js";

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { NO_BASE_TAG } from "../context/inputs.js";
import { errorMessage } from "../errors.js";
import { redactor } from "../evidence/redact.js";
import type { ExecResult } from "../gates/types.js";
import type { BenchConfig } from "./config.js";
import { findFormat } from "./formats/index.js";
import { FormatError } from "./formats/types.js";
import { type BenchMethod, benchMethod, changeText } from "./method.js";
import { interleavedProcedure, SIDES, type Side } from "./procedure.js";
import { DEFAULT_SEED, decisionMethod, type ScenarioStats, scenarioStats } from "./stats.js";
import { type SummaryFiles, writeSummaries } from "./summary.js";
import { createWorktree, removeWorktree, removeWorktreeSync } from "./worktree.js";

export interface BenchRunOptions {
  repoRoot: string;
  /** <evidenceDir>/<target>: everything goes under its bench/ folder. */
  targetDir: string;
  baseTag: string;
  bench: BenchConfig;
  signal: AbortSignal;
  log: (text: string) => void;
  exec: (
    command: string,
    options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
  ) => Promise<ExecResult>;
  seed?: number;
}

export interface BenchReport {
  status: "pass" | "fail" | "incomplete";
  summary: string;
  scenarios: ScenarioStats[];
  runsPerSide: number;
  method: BenchMethod;
  files?: SummaryFiles;
  rawDir: string;
}

class Incomplete extends Error {}

export function benchPaths(targetDir: string) {
  const dir = path.join(targetDir, "bench");
  return { dir, worktree: path.join(dir, "worktree-base"), raw: path.join(dir, "raw") };
}

/**
 * Fills {side}, {out}, {runIndex}, {scenarios} and the config's own `params` (e.g. {messages});
 * values are shell-quoted. An unknown placeholder is an error, never silently left in the command.
 */
export function renderRun(template: string, values: Record<string, string>): string {
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Incomplete(`bench.run uses {${name}}, which is neither built in nor in bench.params`);
    return quote(value);
  });
}

/** The verdict over all scenarios: what blocks, and what the summary line says. */
export function decide(
  scenarios: ScenarioStats[],
  thresholdPercent: number,
  confidence = decisionMethod().confidence,
): { status: BenchReport["status"]; summary: string } {
  const comparable = scenarios.filter((s) => s.verdict !== "no_baseline");
  const regressed = scenarios.filter((s) => s.verdict === "regressed");
  const inconclusive = scenarios.filter((s) => s.verdict === "inconclusive");
  const lost = scenarios.filter((s) => s.verdict === "no_baseline" && s.missingOn === "candidate");
  const problems = [
    ...regressed.map(
      (s) => `${s.scenario} regressed ${changeText(s, confidence)}, threshold ${thresholdPercent} %`,
    ),
    ...inconclusive.map(
      (s) =>
        `${s.scenario} inconclusive after ${s.candidateSamples.length} runs: ${s.note ?? `${changeText(s, confidence)} neither excludes ${thresholdPercent} % nor shows it`}`,
    ),
    ...lost.map((s) => `${s.scenario} was measured on the base but not on the candidate`),
  ];
  if (comparable.length === 0)
    return { status: "fail", summary: "no comparable scenario: nothing was measured on both sides" };
  if (problems.length > 0) return { status: "fail", summary: problems.join("; ") };
  const worst = Math.max(...comparable.map((s) => s.regressionPercent ?? 0));
  return {
    status: "pass",
    summary: `${comparable.length} comparable scenario(s) within ${thresholdPercent} % (worst change ${worst.toFixed(1)} %)`,
  };
}

export async function runBench(options: BenchRunOptions): Promise<BenchReport> {
  const { bench, repoRoot } = options;
  const paths = benchPaths(options.targetDir);
  const method = benchMethod(bench);
  const empty = { scenarios: [], runsPerSide: 0, rawDir: paths.raw, method };
  if (options.baseTag === NO_BASE_TAG) {
    return {
      ...empty,
      status: "incomplete",
      summary: "no base tag (a first release): there is nothing to compare against",
    };
  }
  rmSync(paths.raw, { recursive: true, force: true });
  mkdirSync(paths.raw, { recursive: true });
  const cleanup = () => removeWorktreeSync(repoRoot, paths.worktree);
  process.once("exit", cleanup);
  const cwd: Record<Side, string> = { base: paths.worktree, candidate: repoRoot };
  const samples: Record<Side, Map<string, number[]>> = { base: new Map(), candidate: new Map() };
  const format = findFormat(bench.format);
  let pairs = 0;

  const run = async (command: string, side: Side, what: string): Promise<ExecResult> => {
    if (options.signal.aborted) throw new Incomplete("interrupted");
    options.log(`\n[${side}] $ ${command}\n`);
    const result = await options.exec(command, {
      cwd: cwd[side],
      env: { ...bench.env, SHIPGATE_BENCH_SIDE: side },
      timeoutMs: bench.timeout,
    });
    if (options.signal.aborted) throw new Incomplete("interrupted");
    if (result.spawnError || result.timedOut || result.exitCode !== 0) {
      const why =
        result.spawnError ?? (result.timedOut ? "timed out" : `exited ${result.exitCode ?? result.signal}`);
      throw new Incomplete(`${side} ${what} ${why}: \`${command}\``);
    }
    return result;
  };

  const runOnce = async (side: Side, index: number) => {
    const out = path.join(paths.raw, `${side}-${String(index).padStart(2, "0")}.json`);
    const params = Object.fromEntries(Object.entries(bench.params).map(([k, v]) => [k, String(v)]));
    const command = renderRun(bench.run, {
      ...params,
      side,
      out,
      runIndex: String(index),
      scenarios: bench.scenarios.join(","),
    });
    const result = await run(command, side, "bench run");
    let text: string;
    if (bench.run.includes("{out}")) {
      if (!existsSync(out)) throw new Incomplete(`${side} bench run ${index} wrote no ${path.basename(out)}`);
      // The bench wrote this file itself: scrub it like every other piece of evidence.
      const written = readFileSync(out, "utf8");
      text = redactor().redact(written);
      if (text !== written) writeFileSync(out, text);
    } else {
      text = result.output;
      writeFileSync(out, text);
    }
    let parsed: ReturnType<typeof format.parse>;
    try {
      parsed = format.parse(text, bench.metric);
    } catch (err) {
      if (err instanceof FormatError) throw new Incomplete(`${side} bench run ${index}: ${err.message}`);
      throw err;
    }
    const wanted =
      bench.scenarios.length === 0 ? parsed : parsed.filter((s) => bench.scenarios.includes(s.bench));
    for (const s of wanted)
      samples[side].set(s.scenario, [...(samples[side].get(s.scenario) ?? []), s.value]);
  };

  const statsNow = (): ScenarioStats[] => {
    const names = [...new Set([...samples.base.keys(), ...samples.candidate.keys()])].sort();
    return names.map((name) =>
      scenarioStats(name, samples.base.get(name) ?? [], samples.candidate.get(name) ?? [], {
        thresholdPercent: bench.thresholdPercent,
        noiseFloor: bench.noiseFloor,
        lowerIsBetter: bench.lowerIsBetter,
        seed: options.seed ?? DEFAULT_SEED,
      }),
    );
  };

  try {
    for (const note of method.notes) options.log(`\n${note}\n`);
    await createWorktree(repoRoot, paths.worktree, options.baseTag);
    for (const side of SIDES) for (const command of bench.build ?? []) await run(command, side, "build");
    const { scenarios } = await interleavedProcedure({
      runs: bench.runs,
      maxRuns: bench.maxRuns,
      minRuns: method.minRuns,
      measure: async (side, index) => {
        await runOnce(side, index);
        pairs = index + 1;
      },
      evaluate: statsNow,
    });
    const decision = decide(scenarios, bench.thresholdPercent, method.confidence);
    const headline = `${decision.status.toUpperCase()}: ${decision.summary} — base ${options.baseTag} vs working tree, ${pairs} interleaved run(s) a side.`;
    const files = writeSummaries(
      paths.dir,
      {
        status: decision.status,
        summary: decision.summary,
        baseTag: options.baseTag,
        runsPerSide: pairs,
        format: bench.format,
        metric: bench.metric,
        thresholdPercent: bench.thresholdPercent,
        noiseFloor: bench.noiseFloor,
        method,
      },
      scenarios,
      bench.metric,
      headline,
      method,
    );
    return { ...decision, scenarios, runsPerSide: pairs, method, files, rawDir: paths.raw };
  } catch (err) {
    const summary = err instanceof Incomplete ? err.message : `bench crashed: ${errorMessage(err)}`;
    options.log(`\n${summary}\n`);
    return { ...empty, status: "incomplete", summary, scenarios: statsNow(), runsPerSide: pairs };
  } finally {
    await removeWorktree(repoRoot, paths.worktree);
    process.removeListener("exit", cleanup);
  }
}
