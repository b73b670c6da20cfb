// The sampling procedure itself, independent of how a run is made: interleaved pairs whose order
// alternates (A B, B A, A B, …) so that a linear machine drift hits both sides alike, then more pairs
// while any scenario is inconclusive, up to maxRuns. Shared by the real runner and
// the statistical benchmark, so what is measured there is exactly what runs here.
import type { ScenarioStats } from "./stats.js";

export type Side = "base" | "candidate";
export const SIDES: readonly Side[] = ["base", "candidate"];

export interface ProcedureOptions {
  runs: number;
  maxRuns: number;
  /** Makes run number `index` of `side` and records its samples. */
  measure(side: Side, index: number): Promise<void> | void;
  /** The verdicts over everything measured so far. */
  evaluate(): ScenarioStats[];
}

export async function interleavedProcedure(
  options: ProcedureOptions,
): Promise<{ scenarios: ScenarioStats[]; pairs: number }> {
  let pairs = 0;
  const pair = async () => {
    // A B then B A: over each two pairs both sides sit at the same mean position in the session.
    const order = pairs % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) await options.measure(side, pairs);
    pairs++;
  };
  while (pairs < options.runs) await pair();
  let scenarios = options.evaluate();
  while (scenarios.some((s) => s.verdict === "inconclusive") && pairs < options.maxRuns) {
    await pair();
    scenarios = options.evaluate();
  }
  return { scenarios, pairs };
}
