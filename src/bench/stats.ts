// Per-scenario statistics: the slowdown estimate and interval of the chosen statistic, and the
// verdict rule that turns them into ok / regressed / inconclusive.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

export type Verdict = "ok" | "regressed" | "noise_floor" | "no_baseline" | "inconclusive";

export type StatisticName =
  | "hodges-lehmann"
  | "faster-half-rank"
  | "pair-median"
  | "pair-hodges-lehmann"
  | "median-bootstrap"
  | "lower-quartile-bootstrap"
  | "pair-mean-t";

export interface StatsOptions {
  thresholdPercent: number;
  noiseFloor: number;
  lowerIsBetter: boolean;
  /** Which statistic decides; DEFAULT_STATISTIC unless a benchmark compares the candidates. */
  statistic?: StatisticName;
  /** Bootstrap resamples (bootstrap statistics only). */
  resamples?: number;
  seed?: number;
  confidence?: number;
}

export interface ScenarioStats {
  scenario: string;
  verdict: Verdict;
  baseMedian: number | null;
  candidateMedian: number | null;
  /** The deciding statistic's estimate of candidate relative to base, oriented so > 1 is slower. */
  slowdown: number | null;
  regressionPercent: number | null;
  /** The deciding statistic's interval for `slowdown`; null when there is no ratio to judge. */
  ci: [number, number] | null;
  /** The statistic behind `slowdown` and `ci`. */
  statistic?: StatisticName;
  baseSamples: number[];
  candidateSamples: number[];
  /** For no_baseline: which side lacks the scenario. */
  missingOn?: "base" | "candidate";
  /** Why no ratio could be judged although both sides have samples. */
  note?: string;
}

export const DEFAULT_SEED = 0x5eed;
export const DEFAULT_CONFIDENCE = 0.95;

export const VERDICT_RULE =
  "regressed when the estimate is at least 1 + threshold and the interval's lower end is above 1; " +
  "ok when the interval's upper end is below 1 + threshold; otherwise more runs, inconclusive at maxRuns";

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  return sortedMedian(sorted);
}

function sortedMedian(sorted: readonly number[]): number {
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

const byValue = (a: number, b: number) => a - b;

/**
 * A generator for a seed. xoroshiro128plus started from small, nearby seeds gives nearly equal
 * first outputs (seeds 0–11 all start with a uniform of 0.9999…), so the seed is hashed first and
 * the first outputs are dropped.
 */
function generator(seed: number) {
  let h = seed | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  const rng = xoroshiro128plus(h);
  for (let i = 0; i < 8; i++) rng.next();
  return rng;
}

// ---- Exact small-sample distributions behind the rank intervals ----------------------------------

// The tables depend only on the run counts; the adaptive loop asks for the same ones again and again.
const tables = new Map<string, number[]>();
function cachedTable(key: string, make: () => number[]): number[] {
  let table = tables.get(key);
  if (!table) {
    table = make();
    tables.set(key, table);
  }
  return table;
}

/** How many of the 2^n sign patterns give each signed-rank sum W+ = 0 … n(n+1)/2. */
function signedRankCounts(n: number): number[] {
  let counts = [1];
  for (let r = 1; r <= n; r++) {
    const next = new Array<number>(counts.length + r).fill(0);
    counts.forEach((c, w) => {
      next[w] = (next[w] as number) + c;
      next[w + r] = (next[w + r] as number) + c;
    });
    counts = next;
  }
  return counts;
}

/** How many of the C(m+n, m) rank arrangements give each Mann–Whitney U = 0 … mn. */
function rankSumCounts(m: number, n: number): number[] {
  // f(m, n)[u] = f(m-1, n)[u - n] + f(m, n-1)[u], by whether the largest value is from the first sample.
  const memo = new Map<string, number[]>();
  const f = (a: number, b: number): number[] => {
    if (a === 0 || b === 0) return [1];
    const key = `${a},${b}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const left = f(a - 1, b);
    const right = f(a, b - 1);
    const out = new Array<number>(a * b + 1).fill(0);
    left.forEach((c, u) => {
      out[u + b] = (out[u + b] as number) + c;
    });
    right.forEach((c, u) => {
      out[u] = (out[u] as number) + c;
    });
    memo.set(key, out);
    return out;
  };
  return f(m, n);
}

/**
 * The rank k (1-based) of the order statistics that bound an exact interval: the largest k with
 * P(S ≤ k - 1) ≤ alpha, S distributed as `counts`. 0 when even the most extreme values do not reach
 * the confidence: then no finite interval can be claimed from so few samples.
 */
function exactRank(counts: readonly number[], alpha: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let k = 0;
  for (const c of counts) {
    cumulative += c;
    if (cumulative / total > alpha) break;
    k++;
  }
  return k;
}

const UNBOUNDED: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];

/** The k-th smallest and k-th largest of sorted values; unbounded when k is 0. */
function orderInterval(sorted: readonly number[], k: number): [number, number] {
  if (k < 1) return UNBOUNDED;
  return [sorted[k - 1] as number, sorted[sorted.length - k] as number];
}

function binomialCounts(n: number): number[] {
  const row = [1];
  for (let i = 1; i <= n; i++) row.push(((row[i - 1] as number) * (n - i + 1)) / i);
  return row;
}

/** Two-sided Student t quantile for integer df (closed-form CDF, then bisection). */
function studentT(p: number, df: number): number {
  const cdfAbs = (t: number) => {
    // P(|T| < t) for integer df: the classical finite series in cos²θ.
    const theta = Math.atan(t / Math.sqrt(df));
    const c2 = Math.cos(theta) ** 2;
    const s = Math.sin(theta);
    if (df % 2 === 1) {
      let term = 1;
      let sum = df > 1 ? 1 : 0;
      for (let i = 3; i <= df - 2; i += 2) {
        term *= (c2 * (i - 1)) / i;
        sum += term;
      }
      return (2 / Math.PI) * (theta + s * Math.cos(theta) * sum);
    }
    let term = 1;
    let sum = 1;
    for (let i = 2; i <= df - 2; i += 2) {
      term *= (c2 * (i - 1)) / i;
      sum += term;
    }
    return s * sum;
  };
  let lo = 0;
  let hi = 1e6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cdfAbs(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---- The candidate statistics ------------------------------------------------------------------
// Each works on oriented logs (log of the value, negated when higher is better), so that the
// estimate and the interval ends are log slowdown ratios: exp(...) > 1 means slower.

interface LogSamples {
  base: number[];
  candidate: number[];
}

interface StatisticDef {
  /** What the estimate is, for summaries and the ledger. */
  estimate: string;
  /** How the interval is made. */
  interval: string;
  /** Needs run-by-run pairs (base[k], candidate[k]) from the interleaved procedure. */
  paired: boolean;
  /**
   * Fewest runs a side from which the interval's coverage holds, as measured by `npm run bench`
   * (bench/stat-procedure.ts prints the coverage at every run count and checks this number).
   */
  minRuns: number;
  compute(logs: LogSamples, alpha: number, options: StatsOptions): { estimate: number; ci: [number, number] };
}

const pairDiffs = (logs: LogSamples) =>
  logs.candidate
    .slice(0, Math.min(logs.base.length, logs.candidate.length))
    .map((c, k) => c - (logs.base[k] as number));

function walshAverages(d: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.length; i++)
    for (let j = i; j < d.length; j++) out.push(((d[i] as number) + (d[j] as number)) / 2);
  return out.sort(byValue);
}

/**
 * Percentile bootstrap of the difference of one quantile per side. A resample is drawn as counts
 * over the sorted values, so its quantile is read off without sorting it.
 */
function bootstrap(logs: LogSamples, alpha: number, options: StatsOptions, q: number) {
  const rng = generator(options.seed ?? DEFAULT_SEED);
  const resamples = options.resamples ?? 2000;
  const sortedBase = [...logs.base].sort(byValue);
  const sortedCandidate = [...logs.candidate].sort(byValue);
  const draw = (sorted: readonly number[]) => {
    const n = sorted.length;
    const counts = new Int32Array(n);
    // The modulo bias of 2^32 % n is below 1e-8 for any realistic run count.
    for (let i = 0; i < n; i++) {
      const k = (rng.next() >>> 0) % n;
      counts[k] = (counts[k] as number) + 1;
    }
    const at = (rank: number) => {
      let seen = 0;
      for (let k = 0; k < n; k++) {
        seen += counts[k] as number;
        if (seen > rank) return sorted[k] as number;
      }
      return sorted[n - 1] as number;
    };
    const pos = (n - 1) * q;
    const lo = Math.floor(pos);
    const low = at(lo);
    return pos === lo ? low : low + (at(lo + 1) - low) * (pos - lo);
  };
  const diffs = Array.from({ length: resamples }, () => draw(sortedCandidate) - draw(sortedBase)).sort(
    byValue,
  );
  const estimate = quantile(sortedCandidate, q) - quantile(sortedBase, q);
  return { estimate, ci: [quantile(diffs, alpha), quantile(diffs, 1 - alpha)] as [number, number] };
}

/**
 * Null distribution of a linear rank statistic S = sum of score(rank) over the candidate's ranks
 * among N pooled values, for integer scores: counts per value of S over all C(N, n) arrangements.
 */
function linearRankCounts(N: number, n: number, score: (rank: number) => number): number[] {
  let maxS = 0;
  for (let r = 1; r <= n; r++) maxS += score(r);
  const dp = Array.from({ length: n + 1 }, () => new Array<number>(maxS + 1).fill(0));
  (dp[0] as number[])[0] = 1;
  for (let r = 1; r <= N; r++) {
    const a = score(r);
    for (let j = Math.min(r, n); j >= 1; j--) {
      const row = dp[j] as number[];
      const prev = dp[j - 1] as number[];
      for (let s = maxS; s >= a; s--) row[s] = (row[s] as number) + (prev[s - a] as number);
    }
  }
  return dp[n] as number[];
}

/** Scores of the faster-half test: rank r of N pooled runs scores max(0, ceil(N/2) + 1 - r). */
function fasterHalfScore(N: number): (rank: number) => number {
  const half = Math.ceil(N / 2);
  return (rank) => Math.max(0, half + 1 - rank);
}

/**
 * The test statistic for the candidate shifted down by delta: the candidate's scores among the
 * pooled runs, tied runs sharing the mean score of their ranks (so identical samples sit at the
 * null mean, not at an extreme).
 */
function fasterHalfStatistic(logs: LogSamples, delta: number, score: (rank: number) => number): number {
  const pooled = [
    ...logs.base.map((v) => ({ v, candidate: false })),
    ...logs.candidate.map((v) => ({ v: v - delta, candidate: true })),
  ].sort((a, b) => a.v - b.v);
  let sum = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && (pooled[j + 1] as { v: number }).v === (pooled[i] as { v: number }).v)
      j++;
    let tiedScore = 0;
    for (let r = i + 1; r <= j + 1; r++) tiedScore += score(r);
    tiedScore /= j - i + 1;
    for (let k = i; k <= j; k++) if ((pooled[k] as { candidate: boolean }).candidate) sum += tiedScore;
    i = j + 1;
  }
  return sum;
}

/**
 * Shift estimate and exact interval by inverting a two-sample linear rank test that scores only
 * the faster half of all runs. Runs slowed by interference land in the upper ranks, where they
 * score nothing, so they neither move the estimate nor widen the interval. The interval is exact
 * (distribution-free) when the candidate's runs are the base's runs shifted.
 */
function fasterHalfShift(logs: LogSamples, alpha: number): { estimate: number; ci: [number, number] } {
  const m = logs.base.length;
  const n = logs.candidate.length;
  const score = fasterHalfScore(m + n);
  const counts = cachedTable(`h${m},${n}`, () => linearRankCounts(m + n, n, score));
  const total = counts.reduce((a, b) => a + b, 0);
  // Acceptance region [lo, hi] of the statistic: each tail outside it holds at most alpha.
  let lo = 0;
  for (let tail = 0; lo < counts.length && (tail + (counts[lo] as number)) / total <= alpha; lo++)
    tail += counts[lo] as number;
  let hi = counts.length - 1;
  for (let tail = 0; hi >= 0 && (tail + (counts[hi] as number)) / total <= alpha; hi--)
    tail += counts[hi] as number;
  const mean = counts.reduce((a, c, s) => a + c * s, 0) / total;
  // The statistic only changes where a shifted candidate run meets a base run, i.e. at the
  // distinct cross differences; it never decreases as delta grows. Positions alternate: the open
  // stretch below the first difference, the first difference, the stretch after it, and so on.
  const diffs = [...new Set(logs.candidate.flatMap((c) => logs.base.map((b) => c - b)))].sort(byValue);
  const k = diffs.length;
  const positions = Array.from({ length: 2 * k + 1 }, (_, p) => {
    const i = Math.floor(p / 2);
    if (p % 2 === 1) return { at: diffs[i] as number, below: diffs[i] as number, above: diffs[i] as number };
    const below = i === 0 ? Number.NEGATIVE_INFINITY : (diffs[i - 1] as number);
    const above = i === k ? Number.POSITIVE_INFINITY : (diffs[i] as number);
    const at = i === 0 ? above - 1 : i === k ? below + 1 : (below + above) / 2;
    return { at, below, above };
  });
  const stats = positions.map((p) => fasterHalfStatistic(logs, p.at, score));
  const accepted = stats.map((s) => s >= lo - 1e-9 && s <= hi + 1e-9);
  const first = accepted.indexOf(true);
  const last = accepted.lastIndexOf(true);
  const ci: [number, number] =
    first < 0
      ? UNBOUNDED
      : [(positions[first] as { below: number }).below, (positions[last] as { above: number }).above];
  // The R-estimate: midway between the last delta whose statistic is below the null mean and the
  // first whose statistic is above it.
  const under = stats.findLastIndex((s) => s < mean - 1e-9);
  const over = stats.findIndex((s) => s > mean + 1e-9);
  const from = under < 0 ? (diffs[0] as number) : (positions[under] as { above: number }).above;
  const to = over < 0 ? (diffs[k - 1] as number) : (positions[over] as { below: number }).below;
  return { estimate: (Math.min(from, diffs[k - 1] as number) + Math.max(to, diffs[0] as number)) / 2, ci };
}

export const STATISTICS: Record<StatisticName, StatisticDef> = {
  "hodges-lehmann": {
    estimate: "Hodges–Lehmann shift: median of all candidate/base run ratios",
    interval: "exact Mann–Whitney (rank-sum) interval",
    paired: false,
    minRuns: 4,
    compute(logs, alpha) {
      const diffs: number[] = [];
      for (const c of logs.candidate) for (const b of logs.base) diffs.push(c - b);
      diffs.sort(byValue);
      const k = exactRank(
        cachedTable(`u${logs.base.length},${logs.candidate.length}`, () =>
          rankSumCounts(logs.base.length, logs.candidate.length),
        ),
        alpha,
      );
      return { estimate: sortedMedian(diffs), ci: orderInterval(diffs, k) };
    },
  },
  "faster-half-rank": {
    estimate: "slowdown estimated by a rank test that scores only the faster half of all runs",
    interval: "exact interval of that rank test",
    paired: false,
    minRuns: 4,
    compute: (logs, alpha) => fasterHalfShift(logs, alpha),
  },
  "pair-median": {
    estimate: "median of per-pair candidate/base ratios",
    interval: "exact sign-test (binomial) interval",
    paired: true,
    minRuns: 6,
    compute(logs, alpha) {
      const d = pairDiffs(logs).sort(byValue);
      return {
        estimate: sortedMedian(d),
        ci: orderInterval(
          d,
          exactRank(
            cachedTable(`b${d.length}`, () => binomialCounts(d.length)),
            alpha,
          ),
        ),
      };
    },
  },
  "pair-hodges-lehmann": {
    estimate: "Hodges–Lehmann: median of Walsh averages of per-pair log ratios",
    interval: "exact Wilcoxon signed-rank interval",
    paired: true,
    minRuns: 6,
    compute(logs, alpha) {
      const d = pairDiffs(logs);
      const k = exactRank(
        cachedTable(`w${d.length}`, () => signedRankCounts(d.length)),
        alpha,
      );
      const walsh = walshAverages(d);
      return { estimate: sortedMedian(walsh), ci: orderInterval(walsh, k) };
    },
  },
  "median-bootstrap": {
    estimate: "ratio of the medians",
    interval: "percentile bootstrap, each side resampled",
    paired: false,
    minRuns: 5,
    compute: (logs, alpha, options) => bootstrap(logs, alpha, options, 0.5),
  },
  "lower-quartile-bootstrap": {
    estimate: "ratio of the lower quartiles",
    interval: "percentile bootstrap, each side resampled",
    paired: false,
    minRuns: 8,
    compute: (logs, alpha, options) => bootstrap(logs, alpha, options, 0.25),
  },
  "pair-mean-t": {
    estimate: "geometric mean of per-pair ratios",
    interval: "Student t interval",
    paired: true,
    minRuns: 3,
    compute(logs, alpha) {
      const d = pairDiffs(logs);
      const n = d.length;
      const mean = d.reduce((a, b) => a + b, 0) / n;
      if (n < 2) return { estimate: mean, ci: UNBOUNDED };
      const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      const half = studentT(1 - 2 * alpha, n - 1) * (sd / Math.sqrt(n));
      return { estimate: mean, ci: [mean - half, mean + half] };
    },
  },
};

/** The statistic shipgate decides with; chosen by the figures of `npm run bench`. */
export const DEFAULT_STATISTIC: StatisticName = "faster-half-rank";

/** What decides the verdicts: the rule, the statistic and its interval; summaries and the ledger say it. */
export interface DecisionMethod {
  rule: string;
  statistic: StatisticName;
  estimate: string;
  interval: string;
  confidence: number;
  /** The statistic's fewest runs a side for an interval that keeps its coverage. */
  minRuns: number;
}

export function decisionMethod(statistic: StatisticName = DEFAULT_STATISTIC): DecisionMethod {
  const def = STATISTICS[statistic];
  return {
    rule: VERDICT_RULE,
    statistic,
    estimate: def.estimate,
    interval: def.interval,
    confidence: DEFAULT_CONFIDENCE,
    minRuns: def.minRuns,
  };
}

/** The rule: at least threshold slower and surely slower → regressed; surely under it → ok. */
export function verdictOf(
  estimate: number,
  ci: readonly [number, number],
  thresholdPercent: number,
): "ok" | "regressed" | "inconclusive" {
  const limit = 1 + thresholdPercent / 100;
  if (ci[1] < limit) return "ok";
  if (estimate >= limit && ci[0] > 1) return "regressed";
  return "inconclusive";
}

/** Estimate and interval of the slowdown ratio (> 1 = candidate slower) with the given statistic. */
export function slowdownInterval(
  base: readonly number[],
  candidate: readonly number[],
  options: StatsOptions,
): { estimate: number; ci: [number, number] } {
  const def = STATISTICS[options.statistic ?? DEFAULT_STATISTIC];
  const orient = (v: number) => (options.lowerIsBetter ? Math.log(v) : -Math.log(v));
  const alpha = (1 - (options.confidence ?? DEFAULT_CONFIDENCE)) / 2;
  const { estimate, ci } = def.compute(
    { base: base.map(orient), candidate: candidate.map(orient) },
    alpha,
    options,
  );
  return { estimate: Math.exp(estimate), ci: [Math.exp(ci[0]), Math.exp(ci[1])] };
}

export function scenarioStats(
  scenario: string,
  base: number[],
  candidate: number[],
  options: StatsOptions,
): ScenarioStats {
  const statistic = options.statistic ?? DEFAULT_STATISTIC;
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
  const medians = { ...empty, baseMedian, candidateMedian };
  if (baseMedian < options.noiseFloor && candidateMedian < options.noiseFloor)
    return { ...medians, verdict: "noise_floor" };
  // Ratios of zero, negative or non-finite values mean nothing: block rather than guess.
  if (![...base, ...candidate].every((v) => Number.isFinite(v) && v > 0))
    return {
      ...medians,
      verdict: "inconclusive",
      note: "a sample is zero, negative or not finite, so no slowdown ratio can be judged",
    };
  if (STATISTICS[statistic].paired && base.length !== candidate.length)
    return {
      ...medians,
      verdict: "inconclusive",
      note: `${statistic} needs one base and one candidate sample per pair of runs (got ${base.length} and ${candidate.length})`,
    };
  const { estimate, ci } = slowdownInterval(base, candidate, { ...options, statistic });
  return {
    ...medians,
    slowdown: estimate,
    regressionPercent: (estimate - 1) * 100,
    ci,
    statistic,
    verdict: verdictOf(estimate, ci, options.thresholdPercent),
  };
}

/** Draws a normal deviate (Box-Muller) from a seeded generator; used by simulations. */
export function seededNormal(seed: number): () => number {
  const rng = generator(seed);
  return () => {
    const u = 1 - uniformFloat64(rng);
    const v = uniformFloat64(rng);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Uniform deviates in [0, 1) from a seeded generator; used by simulations. */
export function seededUniform(seed: number): () => number {
  const rng = generator(seed);
  return () => uniformFloat64(rng);
}
