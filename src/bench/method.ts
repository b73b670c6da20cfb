// How the guard decides (rule, statistic, interval, where the adaptive loop starts) and how a change is
// written: shared by the runner, the summaries and the command's output.
import type { BenchConfig } from "./config.js";
import { procedurePlan } from "./procedure.js";
import { type DecisionMethod, decisionMethod, type ScenarioStats } from "./stats.js";

/** How the verdicts were reached: rule, statistic, interval, and where the adaptive loop started. */
export interface BenchMethod extends DecisionMethod {
  thresholdPercent: number;
  /** Runs a side before the first decision: the configured runs, raised to the statistic's minimum. */
  startRuns: number;
  maxRuns: number;
  /** Where the plan departs from the configuration, and why. */
  notes: string[];
}

export function benchMethod(bench: Pick<BenchConfig, "runs" | "maxRuns" | "thresholdPercent">): BenchMethod {
  const method = decisionMethod();
  const plan = procedurePlan(bench.runs, bench.maxRuns, method.minRuns);
  return {
    ...method,
    thresholdPercent: bench.thresholdPercent,
    startRuns: plan.start,
    maxRuns: plan.max,
    notes: plan.notes,
  };
}

const signed = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(1)} %`;

/** "+12.0 % (95 % interval +8.1 … +16.3 %)": the change and interval as percentages. */
export function changeText(s: ScenarioStats, confidence: number): string {
  if (s.regressionPercent === null || !s.ci) return "no change estimate";
  const end = (r: number) => (Number.isFinite(r) ? signed((r - 1) * 100) : r > 0 ? "+∞" : "−∞");
  return `${signed(s.regressionPercent)} (${confidence * 100} % interval ${end(s.ci[0])} … ${end(s.ci[1])})`;
}
