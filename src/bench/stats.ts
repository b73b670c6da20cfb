// Per-scenario statistics: medians, the slowdown ratio, a seeded bootstrap interval, and the verdict.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

export type Verdict = "ok" | "regressed" | "noise_floor" | "no_baseline" | "inconclusive";

export interface StatsOptions {
  thresholdPercent: number;
  noiseFloor: number;
  lowerIsBetter: boolean;
  /** Bootstrap resamples; 2000 keeps the 95 % interval's ends stable to about a percent. */
  resamples?: number;
  seed?: number;
  confidence?: number;
}

export interface ScenarioStats {
  scenario: string;
  verdict: Verdict;
  baseMedian: number | null;
  candidateMedian: number | null;
  /** Candidate relative to base, oriented so that > 1 is worse (slower). */
  slowdown: number | null;
  regressionPercent: number | null;
  ci: [number, number] | null;
  baseSamples: number[];
  candidateSamples: number[];
  /** For no_baseline: which side lacks the scenario. */
  missingOn?: "base" | "candidate";
}

export const DEFAULT_SEED = 0x5eed;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function slowdownOf(base: number, candidate: number, lowerIsBetter: boolean): number {
  const [worse, better] = lowerIsBetter ? [candidate, base] : [base, candidate];
  if (better === 0) return worse === 0 ? 1 : Number.POSITIVE_INFINITY;
  return worse / better;
}

/** Percentile bootstrap of the ratio of medians, resampling each side independently. */
export function bootstrapRatio(
  base: readonly number[],
  candidate: readonly number[],
  options: StatsOptions,
): [number, number] {
  const rng = xoroshiro128plus(options.seed ?? DEFAULT_SEED);
  const resamples = options.resamples ?? 2000;
  const alpha = (1 - (options.confidence ?? 0.95)) / 2;
  const draw = (values: readonly number[]) => {
    const pick = Array.from(
      { length: values.length },
      () => values[uniformInt(rng, 0, values.length - 1)] as number,
    );
    return median(pick);
  };
  const ratios = Array.from({ length: resamples }, () =>
    slowdownOf(draw(base), draw(candidate), options.lowerIsBetter),
  ).sort((a, b) => a - b);
  return [quantile(ratios, alpha), quantile(ratios, 1 - alpha)];
}

export function scenarioStats(
  scenario: string,
  base: number[],
  candidate: number[],
  options: StatsOptions,
): ScenarioStats {
  const empty = {
    scenario,
    baseSamples: base,
    candidateSamples: candidate,
    slowdown: null,
    regressionPercent: null,
    ci: null,
  };
  if (base.length === 0 || candidate.length === 0) {
    return {
      ...empty,
      verdict: "no_baseline",
      baseMedian: base.length ? median(base) : null,
      candidateMedian: candidate.length ? median(candidate) : null,
      missingOn: base.length === 0 ? "base" : "candidate",
    };
  }
  const baseMedian = median(base);
  const candidateMedian = median(candidate);
  const slowdown = slowdownOf(baseMedian, candidateMedian, options.lowerIsBetter);
  const stats = { ...empty, baseMedian, candidateMedian, slowdown, regressionPercent: (slowdown - 1) * 100 };
  if (baseMedian < options.noiseFloor && candidateMedian < options.noiseFloor)
    return { ...stats, verdict: "noise_floor" };
  const ci = bootstrapRatio(base, candidate, options);
  const limit = 1 + options.thresholdPercent / 100;
  // The interval straddling the threshold means the data cannot tell: more runs, or block.
  const verdict: Verdict = ci[1] < limit ? "ok" : ci[0] >= limit ? "regressed" : "inconclusive";
  return { ...stats, ci, verdict };
}

/** Draws a normal deviate (Box-Muller) from a seeded generator; used by simulations. */
export function seededNormal(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => {
    const u = 1 - uniformFloat64(rng);
    const v = uniformFloat64(rng);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
