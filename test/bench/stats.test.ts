import { describe, expect, it } from "vitest";
import { bootstrapRatio, median, scenarioStats, seededNormal } from "../../src/bench/stats.js";

const opts = { thresholdPercent: 15, noiseFloor: 0.0001, lowerIsBetter: true };

describe("bench statistics", () => {
  it("takes medians of odd and even samples", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("gives the same bootstrap interval for the same seed and data", () => {
    const base = [1.0, 1.02, 0.98, 1.01, 0.99];
    const cand = [1.1, 1.12, 1.08, 1.11, 1.09];
    const a = bootstrapRatio(base, cand, { ...opts, seed: 7 });
    expect(bootstrapRatio(base, cand, { ...opts, seed: 7 })).toEqual(a);
    expect(a[0]).toBeLessThanOrEqual(1.1);
    expect(a[1]).toBeGreaterThanOrEqual(1.1);
    expect(a[0]).toBeGreaterThan(1.0);
  });

  it.each([
    ["ok", [1, 1.01, 0.99], [1.02, 1.0, 1.01]],
    ["regressed", [1, 1.01, 0.99], [1.3, 1.31, 1.29]],
    ["inconclusive", [1, 1.3, 0.8], [1.15, 0.9, 1.4]],
    ["noise_floor", [0.00001, 0.00002, 0.00001], [0.00009, 0.00008, 0.00009]],
  ])("judges %s", (verdict, base, cand) => {
    expect(scenarioStats("s", base, cand, opts).verdict).toBe(verdict);
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
    const s = scenarioStats("ops", [100, 101, 99], [70, 71, 69], { ...opts, lowerIsBetter: false });
    expect(s.verdict).toBe("regressed");
    expect(s.regressionPercent).toBeCloseTo((100 / 70 - 1) * 100, 5);
  });

  it("draws reproducible normal deviates", () => {
    const a = seededNormal(3);
    const b = seededNormal(3);
    const xs = Array.from({ length: 2000 }, () => a());
    expect(Array.from({ length: 2000 }, () => b())).toEqual(xs);
    const mean = xs.reduce((x, y) => x + y, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
  });
});
