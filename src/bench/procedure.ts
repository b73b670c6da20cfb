// The sampling procedure itself, independent of how a run is made: interleaved pairs whose order
// alternates (A B, B A, A B, …) so that a linear machine drift hits both sides alike, then more pairs
// while any scenario is inconclusive, up to maxRuns. Shared by the real runner and
// the statistical benchmark, so what is measured there is exactly what runs here.
import type { ScenarioStats } from "./stats.js";

export type Side = "base" | "candidate";
export const SIDES: readonly Side[] = ["base", "candidate"];

export interface ProcedureOptions {
  /** Configured runs a side before the first decision. */
  runs: number;
  maxRuns: number;
  /**
   * The statistic's fewest runs a side for an interval that keeps its coverage: decisions never
   * start earlier, whatever `runs` says.
   */
  minRuns: number;
  /** Makes run number `index` of `side` and records its samples. */
  measure(side: Side, index: number): Promise<void> | void;
  /** The verdicts over everything measured so far. */
  evaluate(): ScenarioStats[];
}

export interface ProcedurePlan {
  /** Runs a side before the first decision. */
  start: number;
  /** Most runs a side. */
  max: number;
  /** Why the plan differs from the configuration, if it does. */
  notes: string[];
}

export function procedurePlan(runs: number, maxRuns: number, minRuns: number): ProcedurePlan {
  const start = Math.max(runs, minRuns);
  const max = Math.max(maxRuns, start);
  const notes: string[] = [];
  if (start > runs)
    notes.push(
      `configured runs ${runs} is below the statistic's minimum of ${minRuns} runs a side; decisions start at ${start}`,
    );
  if (max > maxRuns) notes.push(`maxRuns ${maxRuns} raised to ${max}, the first decision`);
  return { start, max, notes };
}

export async function interleavedProcedure(
  options: ProcedureOptions,
): Promise<{ scenarios: ScenarioStats[]; pairs: number; plan: ProcedurePlan }> {
  const plan = procedurePlan(options.runs, options.maxRuns, options.minRuns);
  let pairs = 0;
  const pair = async () => {
    // A B then B A: over each two pairs both sides sit at the same mean position in the session.
    const order = pairs % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) await options.measure(side, pairs);
    pairs++;
  };
  while (pairs < plan.start) await pair();
  let scenarios = options.evaluate();
  while (scenarios.some((s) => s.verdict === "inconclusive") && pairs < plan.max) {
    await pair();
    scenarios = options.evaluate();
  }
  return { scenarios, pairs, plan };
}
