// Statistical benchmark of the performance guard: simulated runs with a known truth (no regression,
// or a 20 % regression) under a linear machine drift of ±10 % over the session plus 3 % noise.
// Compares shipgate's procedure (interleaved, bootstrap, adaptive) with "3 base runs, then 3
// candidate runs, compare medians", using the real statistics and procedure code.
import { interleavedProcedure, type Side } from "../src/bench/procedure.js";
import { median, type ScenarioStats, scenarioStats, seededNormal } from "../src/bench/stats.js";

const TRIALS = 300;
const RUNS = 3;
const MAX_RUNS = 15;
const THRESHOLD = 15;
const DRIFT = 0.1;
const NOISE = 0.03;

/**
 * Machine speed at the t-th run: linear from -10 % to +10 % over the first 2×RUNS runs (the session
 * both procedures make), then holding at +10 % for any extra runs the adaptive procedure adds.
 */
function drift(t: number, direction: number): number {
  const position = Math.min(1, t / (2 * RUNS - 1));
  return 1 + direction * DRIFT * (2 * position - 1);
}

interface Trial {
  blockedByShipgate: boolean;
  undecided: boolean;
  blockedBySequential: boolean;
  pairs: number;
}

async function trial(truth: number, seed: number): Promise<Trial> {
  const normal = seededNormal(seed);
  const direction = seed % 2 === 0 ? 1 : -1;
  const sample = (side: Side, t: number) =>
    (side === "candidate" ? truth : 1) * drift(t, direction) * (1 + NOISE * normal());

  // shipgate: A B A B …, adaptive.
  const runs: Record<Side, number[]> = { base: [], candidate: [] };
  let t = 0;
  const { scenarios, pairs } = await interleavedProcedure({
    runs: RUNS,
    maxRuns: MAX_RUNS,
    measure: (side) => {
      runs[side].push(sample(side, t++));
    },
    evaluate: (): ScenarioStats[] => [
      scenarioStats("sim", runs.base, runs.candidate, {
        thresholdPercent: THRESHOLD,
        noiseFloor: 0,
        lowerIsBetter: true,
        seed,
      }),
    ],
  });
  const verdict = scenarios[0]?.verdict;

  // Sequential: all base runs, then all candidate runs, at the same initial number of runs.
  const base = Array.from({ length: RUNS }, (_, i) => sample("base", i));
  const cand = Array.from({ length: RUNS }, (_, i) => sample("candidate", RUNS + i));
  const sequentialRegressed = median(cand) / median(base) >= 1 + THRESHOLD / 100;

  return {
    blockedByShipgate: verdict === "regressed" || verdict === "inconclusive",
    undecided: verdict === "inconclusive",
    blockedBySequential: sequentialRegressed,
    pairs,
  };
}

async function rates(
  truth: number,
): Promise<{ shipgate: number; undecided: number; sequential: number; meanPairs: number }> {
  let shipgate = 0;
  let undecided = 0;
  let sequential = 0;
  let pairs = 0;
  for (let i = 0; i < TRIALS; i++) {
    const r = await trial(truth, 1000 + i);
    shipgate += Number(r.blockedByShipgate);
    undecided += Number(r.undecided);
    sequential += Number(r.blockedBySequential);
    pairs += r.pairs;
  }
  return {
    shipgate: shipgate / TRIALS,
    undecided: undecided / TRIALS,
    sequential: sequential / TRIALS,
    meanPairs: pairs / TRIALS,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export async function run(): Promise<void> {
  const started = Date.now();
  const none = await rates(1.0);
  const twenty = await rates(1.2);
  console.log(
    `performance guard procedure: ${TRIALS} simulated trials per case, drift ±${DRIFT * 100} % (half rising, half falling), noise ${NOISE * 100} %, threshold ${THRESHOLD} %`,
  );
  console.log(
    "  procedure                          false positives (no regression)   detection (20 % regression)   runs a side",
  );
  console.log(
    `  shipgate (interleaved, bootstrap)  ${pct(none.shipgate).padEnd(33)} ${pct(twenty.shipgate).padEnd(29)} ${none.meanPairs.toFixed(1)} / ${twenty.meanPairs.toFixed(1)} (mean)`,
  );
  console.log(
    `  sequential A-then-B medians        ${pct(none.sequential).padEnd(33)} ${pct(twenty.sequential).padEnd(29)} ${RUNS}`,
  );
  console.log(
    `  shipgate blocks counted above that were "inconclusive at ${MAX_RUNS} runs" rather than "regressed": ${pct(none.undecided)} / ${pct(twenty.undecided)}`,
  );
  console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
