import { describe, expect, it } from "vitest";
import { interleavedProcedure, procedurePlan, type Side } from "../../src/bench/procedure.js";
import {
  DEFAULT_STATISTIC,
  decisionMethod,
  median,
  STATISTICS,
  type StatisticName,
  scenarioStats,
  seededNormal,
  seededUniform,
  slowdownInterval,
  verdictOf,
} from "../../src/bench/stats.js";

const opts = { thresholdPercent: 15, noiseFloor: 0.0001, lowerIsBetter: true };
const quiet = [1.0, 1.01, 0.99, 1.02, 1.0, 0.98];

describe("the verdict rule", () => {
  it.each([
    // estimate, interval, verdict
    [1.3, [1.2, 1.4], "regressed"],
    [1.15, [1.01, 1.3], "regressed"], // at the threshold and surely slower
    [1.2, [0.99, 1.4], "inconclusive"], // slower by the threshold, but not surely slower at all
    [1.1, [1.02, 1.2], "inconclusive"], // surely slower, but under the threshold and not excluding it
    [1.05, [0.98, 1.149], "ok"],
    [1.05, [0.98, 1.15], "inconclusive"], // the upper end must be below 1 + threshold
    [0.8, [0.7, 0.9], "ok"], // faster
  ] as const)("estimate %s with interval %j is %s", (estimate, ci, verdict) => {
    expect(verdictOf(estimate, ci, 15)).toBe(verdict);
  });

  it("names itself, the shipped statistic and its interval for summaries and the ledger", () => {
    expect(decisionMethod()).toMatchObject({
      statistic: "faster-half-rank",
      confidence: 0.95,
      minRuns: 4,
      rule: expect.stringMatching(/^regressed when the estimate is at least 1 \+ threshold/),
    });
  });
});

describe("bench statistics", () => {
  it("takes medians of odd and even samples", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("calls identical samples ok, with no change and a zero-width interval", () => {
    const s = scenarioStats("s", [1, 1, 1, 1], [1, 1, 1, 1], opts);
    expect(s).toMatchObject({ verdict: "ok", slowdown: 1, ci: [1, 1], statistic: DEFAULT_STATISTIC });
  });

  it("calls a clear 30 % slowdown regressed from the first decision on", () => {
    const s = scenarioStats("s", quiet.slice(0, 4), [1.3, 1.31, 1.29, 1.32], opts);
    expect(s.verdict).toBe("regressed");
    expect(s.slowdown).toBeCloseTo(1.3, 1);
    expect(s.ci?.[0]).toBeGreaterThan(1.15);
  });

  it("calls an unchanged candidate ok although one of its runs was slowed by interference", () => {
    const spiky = [1.01, 0.99, 1.0, 1.6, 1.02, 0.98];
    const s = scenarioStats("s", quiet, spiky, opts);
    expect(s.verdict).toBe("ok");
    expect(s.ci?.[1]).toBeLessThan(1.05);
    // What a median-based statistic makes of the same runs: it cannot exclude the threshold.
    expect(scenarioStats("s", quiet, spiky, { ...opts, statistic: "hodges-lehmann" }).verdict).toBe(
      "inconclusive",
    );
  });

  it("still sees a 30 % slowdown when interference slowed a base run", () => {
    const base = [1.0, 1.5, 0.99, 1.02, 1.0, 0.98];
    const cand = [1.3, 1.31, 1.29, 1.32, 1.3, 1.28];
    expect(scenarioStats("s", base, cand, opts).verdict).toBe("regressed");
  });

  it("claims no interval from 3 runs a side, so it cannot decide there", () => {
    const s = scenarioStats("s", [1, 1.01, 0.99], [1.3, 1.31, 1.29], opts);
    expect(s.verdict).toBe("inconclusive");
    expect(s.ci).toEqual([0, Number.POSITIVE_INFINITY]);
  });

  it("keeps the nominal coverage at its first decision (4 runs a side, a pure shift)", () => {
    const normal = seededNormal(11);
    let inside = 0;
    const trials = 600;
    for (let i = 0; i < trials; i++) {
      const draw = () => Array.from({ length: 4 }, () => Math.exp(0.05 * normal()));
      const { ci } = slowdownInterval(
        draw(),
        draw().map((v) => v * 1.2),
        opts,
      );
      if (ci[0] <= 1.2 && 1.2 <= ci[1]) inside++;
    }
    // Exact at ≥ 68/70 = 97.1 %; 600 trials put the measured share above 95 % but for bad luck.
    expect(inside / trials).toBeGreaterThan(0.95);
  });

  it("judges inconclusive and noise-floor cases", () => {
    expect(scenarioStats("s", [1, 1.3, 0.8, 1.2], [1.15, 0.9, 1.4, 1.0], opts).verdict).toBe("inconclusive");
    expect(scenarioStats("s", [0.00001, 0.00002, 0.00001], [0.00009, 0.00008, 0.00009], opts).verdict).toBe(
      "noise_floor",
    );
  });

  it("blocks rather than divides by zero or a negative value", () => {
    expect(scenarioStats("s", [0, 1, 1, 1], [1, 1, 1, 1], opts)).toMatchObject({
      verdict: "inconclusive",
      note: expect.stringContaining("zero, negative or not finite"),
      ci: null,
    });
  });

  it("reports which side lacks a scenario", () => {
    expect(scenarioStats("s", [], [1], opts)).toMatchObject({
      verdict: "no_baseline",
      missingOn: "base",
      candidateMedian: 1,
    });
    expect(scenarioStats("s", [1], [], opts)).toMatchObject({
      verdict: "no_baseline",
      missingOn: "candidate",
    });
  });

  it("orients the ratio when higher is better (throughput)", () => {
    const s = scenarioStats("ops", [100, 101, 99, 100], [70, 71, 69, 70], { ...opts, lowerIsBetter: false });
    expect(s.verdict).toBe("regressed");
    expect(s.regressionPercent).toBeCloseTo((100 / 70 - 1) * 100, 0);
  });

  it.each(Object.keys(STATISTICS) as StatisticName[])("%s brackets a clean 1.2× slowdown", (statistic) => {
    const base = [1.0, 1.02, 0.98, 1.01, 0.99, 1.0, 1.01, 0.99];
    const { estimate, ci } = slowdownInterval(
      base,
      base.map((v) => v * 1.2),
      { ...opts, statistic },
    );
    expect(estimate).toBeCloseTo(1.2, 2);
    expect(ci[0]).toBeLessThanOrEqual(1.2);
    expect(ci[1]).toBeGreaterThanOrEqual(1.2);
    expect(ci[0]).toBeGreaterThan(1);
  });

  it("gives the same bootstrap interval for the same seed", () => {
    const o = { ...opts, statistic: "median-bootstrap" as const, seed: 7 };
    const a = slowdownInterval(quiet, [1.1, 1.12, 1.08, 1.11, 1.09, 1.1], o);
    expect(slowdownInterval(quiet, [1.1, 1.12, 1.08, 1.11, 1.09, 1.1], o)).toEqual(a);
  });

  it("draws reproducible deviates, and nearby seeds do not start alike", () => {
    const a = seededNormal(3);
    const b = seededNormal(3);
    const xs = Array.from({ length: 2000 }, () => a());
    expect(Array.from({ length: 2000 }, () => b())).toEqual(xs);
    const mean = xs.reduce((x, y) => x + y, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    const firsts = Array.from({ length: 12 }, (_, seed) => seededUniform(seed)());
    expect(new Set(firsts.map((u) => u.toFixed(2))).size).toBeGreaterThan(8);
  });
});

describe("the interleaved procedure", () => {
  it("starts at the statistic's minimum when the configured runs are fewer, and says so", () => {
    expect(procedurePlan(3, 15, 4)).toEqual({
      start: 4,
      max: 15,
      notes: ["configured runs 3 is below the statistic's minimum of 4 runs a side; decisions start at 4"],
    });
    expect(procedurePlan(6, 15, 4)).toEqual({ start: 6, max: 15, notes: [] });
    expect(procedurePlan(3, 3, 4).max).toBe(4);
  });

  it("alternates the order of each pair and stops at the first decision", async () => {
    const order: string[] = [];
    const runs: Record<Side, number[]> = { base: [], candidate: [] };
    const { pairs, scenarios } = await interleavedProcedure({
      runs: 1,
      maxRuns: 10,
      minRuns: 4,
      measure: (side, index) => {
        order.push(`${side[0]}${index}`);
        runs[side].push(side === "candidate" ? 1.3 : 1);
      },
      evaluate: () => [scenarioStats("s", runs.base, runs.candidate, opts)],
    });
    expect(order).toEqual(["b0", "c0", "c1", "b1", "b2", "c2", "c3", "b3"]);
    expect(pairs).toBe(4);
    expect(scenarios[0]?.verdict).toBe("regressed");
  });

  it("adds pairs while undecided, up to maxRuns", async () => {
    let t = 0;
    const noisy = [1, 1.4, 0.8, 1.3, 0.9, 1.2, 1.1, 0.7, 1.5, 1.0];
    const runs: Record<Side, number[]> = { base: [], candidate: [] };
    const { pairs, scenarios } = await interleavedProcedure({
      runs: 4,
      maxRuns: 5,
      minRuns: 4,
      measure: (side) => {
        runs[side].push(noisy[t++ % noisy.length] as number);
      },
      evaluate: () => [scenarioStats("s", runs.base, runs.candidate, opts)],
    });
    expect(pairs).toBe(5);
    expect(scenarios[0]?.verdict).toBe("inconclusive");
  });
});
