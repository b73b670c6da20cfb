// The performance guard end to end: real repositories, real worktrees, real benchmark processes whose
// reported samples are fixed per run (test/helpers/bench-repo.ts), so no verdict hangs on timing.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { benchRepo } from "../helpers/bench-repo.js";
import { CLI, runCli } from "../helpers/cli.js";
import { INIT } from "../helpers/demo-repo.js";
import type { TempRepo } from "../helpers/repo.js";

const BENCH = ["bench", "--release-target", "v0.3.0", "--json"];
const worktreeDir = (repo: TempRepo) => path.join(repo.dir, ".shipgate/v0.3.0/bench/worktree-base");
/** A generic-format benchmark reporting fixed values per run index, one list per side (a shell script: cheap to start). */
const emitter = (scenario: string, base: string, candidate: string) => `#!/bin/sh
case "$1" in base) values="${base}" ;; *) values="${candidate}" ;; esac
value=$(echo $values | awk -v i="$3" '{ print $(i + 1) }')
printf '{"results": [{"scenario": "${scenario}", "value": %s}]}' "$value" > "$2"
`;

const worktrees = (repo: TempRepo) => repo.git("worktree", "list").split("\n").length;

interface Verdicts {
  verdicts: {
    scenario: string;
    verdict: string;
    missingOn?: string;
    statistic?: string;
    slowdown?: number | null;
    ci?: [number | null, number | null] | null;
  }[];
  summary: string;
  decidedBy: { statistic: string; rule: string; startRuns: number; maxRuns: number; notes: string[] };
}

describe("shipgate bench", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("calls a planted 30 % slowdown regressed (exit 1) and records what decided in summaries, charts and ledger", async () => {
    repo = benchRepo({ factor: "1.3" });
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(BENCH, { cwd: repo.dir });
    expect(res.code).toBe(1);
    const out = res.json<Verdicts & { summaryMd: string; charts: string[] }>();
    expect(out.verdicts.map((v) => v.verdict)).toEqual(["regressed", "regressed", "regressed"]);
    for (const v of out.verdicts) {
      expect(v.statistic).toBe("faster-half-rank");
      expect(v.slowdown).toBeCloseTo(1.3, 2);
      expect(v.ci?.[0]).toBeGreaterThan(1.15);
    }
    expect(out.summary).toMatch(
      /append .* regressed \+30\.0 % \(95 % interval \+2\d\.\d % … \+3\d\.\d %\), threshold 15 %/,
    );
    const md = readFileSync(path.join(repo.dir, out.summaryMd), "utf8");
    expect(md).toContain("Decided by **faster-half-rank**");
    expect(md).toContain("Rule (threshold 15 %): regressed when the estimate is at least 1 + threshold");
    expect(md).toMatch(
      /\| \+30\.0 % \| \+2\d\.\d % … \+3\d\.\d % \| 4\/4 \| faster-half-rank \| regressed \|/,
    );
    expect(out.charts).toHaveLength(3);
    const svg = readFileSync(path.join(repo.dir, out.charts[0] as string), "utf8");
    expect(svg).toMatch(/^<svg[\s\S]*<circle[\s\S]*<\/svg>\n$/);
    expect(svg).toContain("ms_per_msg: regressed");
    expect(svg).toMatch(
      /decided by faster-half-rank: change \+30\.0 %, 95 % interval \+2\d\.\d % … \+3\d\.\d %/,
    );
    expect(svg).toContain(
      "regressed if estimate ≥ +15 % and interval above no change; ok if interval below +15 %",
    );
    const ledger = JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));
    // Fixed samples: the first decision, at the statistic's minimum of 4 runs a side, is final.
    expect(ledger.bench).toMatchObject({
      status: "fail",
      runsPerSide: 4,
      decidedBy: { statistic: "faster-half-rank", confidence: 0.95, startRuns: 4, maxRuns: 10, notes: [] },
    });
    expect(ledger.bench.verdicts[0]).toMatchObject({
      statistic: "faster-half-rank",
      ci: [expect.any(Number), expect.any(Number)],
    });
    expect(existsSync(worktreeDir(repo))).toBe(false);
    expect(worktrees(repo)).toBe(1);
  });

  it("calls an unchanged HEAD ok (exit 0), also as a gate", async () => {
    repo = benchRepo();
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(BENCH, { cwd: repo.dir });
    expect(res.code).toBe(0);
    const out = res.json<Verdicts & { runsPerSide: number }>();
    // Both sides report the same per-run values: no change, an interval well under the threshold.
    for (const v of out.verdicts) {
      expect(v).toMatchObject({ verdict: "ok", slowdown: 1 });
      expect(v.ci?.[1]).toBeLessThan(1.05);
    }
    expect(out.runsPerSide).toBe(4);
    const gates = await runCli(["gates", "--release-target", "v0.3.0", "--json"], { cwd: repo.dir });
    expect(gates.code).toBe(0);
    expect(gates.json<{ gates: { id: string; status: string }[] }>().gates).toMatchObject([
      { id: "perf", status: "pass" },
    ]);
  });

  it("reports a scenario missing on one side as no_baseline; one lost on the candidate blocks", async () => {
    repo = benchRepo({ scenarios: "append,multi_writer,get_scan,new_bench" });
    await runCli(INIT, { cwd: repo.dir });
    const added = await runCli(BENCH, { cwd: repo.dir });
    expect(added.code).toBe(0);
    expect(added.json<Verdicts>().verdicts).toContainEqual(
      expect.objectContaining({
        scenario: expect.stringMatching(/^new_bench /),
        verdict: "no_baseline",
        missingOn: "base",
      }),
    );

    repo.write("scenarios.txt", "append,multi_writer\n");
    repo.commit("drop get_scan");
    const lost = await runCli(BENCH, { cwd: repo.dir });
    expect(lost.code).toBe(1);
    expect(lost.json<Verdicts>().summary).toMatch(
      /get_scan .* was measured on the base but not on the candidate/,
    );
  });

  it("adds runs while undecided and blocks when still inconclusive at --max-runs", async () => {
    repo = benchRepo();
    // Fixed, widely spread values (generic format): no number of runs up to the limit can decide.
    repo.write("emit.sh", emitter("noisy", "1.0 1.3 0.8 1.2 0.9 1.1", "1.15 0.9 1.4 1.0 1.3 1.05"));
    repo.write("shipgate.yaml", "bench:\n  run: sh emit.sh {side} {out} {runIndex}\n  format: generic\n");
    repo.commit("deterministic noisy bench");
    // The base side needs the same script: move the base tag here.
    repo.git("tag", "-f", "-a", "v0.2.0", "-m", "v0.2.0");
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli([...BENCH, "--runs", "3", "--max-runs", "5"], { cwd: repo.dir });
    expect(res.code).toBe(1);
    const out = res.json<Verdicts & { runsPerSide: number }>();
    expect(out.runsPerSide).toBe(5);
    expect(out.verdicts).toMatchObject([{ scenario: "noisy", verdict: "inconclusive" }]);
    expect(out.summary).toMatch(/noisy inconclusive after 5 runs: .* neither excludes 15 % nor shows it/);
    // Three runs are below what the statistic's interval needs: it started at four and said so.
    expect(out.decidedBy).toMatchObject({
      startRuns: 4,
      notes: ["configured runs 3 is below the statistic's minimum of 4 runs a side; decisions start at 4"],
    });
  });

  it("calls an unchanged HEAD ok although interference slowed some of its runs", async () => {
    repo = benchRepo();
    // One-sided spikes, as from another tenant: runs 1 and 6 of the candidate are 50–60 % slower.
    // clean = 1.0 1.01 0.99 1.02 1.0 0.98 1.01 0.99; candidate runs 1 and 6 ×1.5 and ×1.6, base run 3 ×1.4.
    repo.write(
      "emit.sh",
      emitter("spiky", "1.0 1.01 0.99 1.428 1.0 0.98 1.01 0.99", "1.0 1.515 0.99 1.02 1.0 0.98 1.616 0.99"),
    );
    repo.write("shipgate.yaml", "bench:\n  run: sh emit.sh {side} {out} {runIndex}\n  format: generic\n");
    repo.commit("deterministic spiky bench");
    repo.git("tag", "-f", "-a", "v0.2.0", "-m", "v0.2.0");
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(BENCH, { cwd: repo.dir });
    expect(res.code).toBe(0);
    const out = res.json<Verdicts & { runsPerSide: number }>();
    expect(out.verdicts).toMatchObject([{ scenario: "spiky", verdict: "ok" }]);
    // Undecided at 4 runs a side (one spike in four), ok at 5.
    expect(out.runsPerSide).toBe(5);
  });

  it("blocks when no scenario is comparable", async () => {
    repo = benchRepo({ scenarios: "other" });
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli([...BENCH, "--scenarios", "other"], { cwd: repo.dir });
    expect(res.code).toBe(1);
    expect(res.json<Verdicts>().summary).toContain("no comparable scenario");
  });

  it("is incomplete (exit 3) when the bench crashes, with its output in the gate log", async () => {
    repo = benchRepo();
    repo.write("crash.txt", "");
    repo.commit("crash");
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(BENCH, { cwd: repo.dir });
    expect(res.code).toBe(3);
    expect(res.json<Verdicts>().summary).toMatch(/candidate bench run exited 139/);
    const gates = await runCli(["gates", "--release-target", "v0.3.0", "--json"], { cwd: repo.dir });
    expect(gates.code).toBe(3);
    expect(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/logs/perf.log"), "utf8")).toContain(
      "bench: segfault in writer thread",
    );
    expect(existsSync(worktreeDir(repo))).toBe(false);
  });

  it("is incomplete for a first release and refuses bad flags with exit 2", async () => {
    repo = benchRepo();
    // A first release has no earlier version tag (`init` refuses `--base-tag none` beside one).
    repo.git("tag", "-d", "v0.1.0", "v0.2.0");
    const init = await runCli(
      INIT.map((a) => (a === "v0.2.0" ? "none" : a)),
      { cwd: repo.dir },
    );
    expect(init.code, init.stderr).toBe(0);
    const first = await runCli(BENCH, { cwd: repo.dir });
    expect(first.code).toBe(3);
    expect(first.json<Verdicts>().summary).toContain("no base tag");
    for (const [flags, message] of [
      [["--runs", "0"], '--runs "0" is not a whole positive number'],
      [["--threshold-percent", "abc"], '--threshold-percent "abc"'],
      [["--runs", "5", "--max-runs", "3"], "--max-runs 3 is smaller than --runs 5"],
      [["--scenarios", " , "], "--scenarios names nothing"],
      [["--noise-floor", "-1"], '--noise-floor "-1" is not a non-negative number'],
    ] as const) {
      const res = await runCli([...BENCH, ...flags], { cwd: repo.dir });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(message);
    }
  });

  it("leaves no worktree after SIGINT, and cleans up after a SIGKILLed run", async () => {
    repo = benchRepo();
    await runCli(INIT, { cwd: repo.dir });
    for (const signal of ["SIGINT", "SIGKILL"] as const) {
      const child = spawn(process.execPath, [CLI, ...BENCH], {
        cwd: repo.dir,
        env: { ...process.env, BENCH_PAUSE_MS: "2000" },
        stdio: "ignore",
      });
      const until = Date.now() + 20_000;
      while (!existsSync(path.join(worktreeDir(repo), "bench.sh")) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 25));
      expect(existsSync(worktreeDir(repo))).toBe(true);
      child.kill(signal);
      const code = await new Promise<number | null>((r) => child.on("close", r));
      if (signal === "SIGINT") {
        expect(code).toBe(3);
        expect(existsSync(worktreeDir(repo))).toBe(false);
        expect(worktrees(repo)).toBe(1);
      } else {
        expect(existsSync(worktreeDir(repo))).toBe(true);
      }
    }
    // The next run removes the stale worktree first, and its own at the end.
    const next = await runCli(BENCH, { cwd: repo.dir });
    expect(next.code).toBe(0);
    expect(existsSync(worktreeDir(repo))).toBe(false);
    expect(worktrees(repo)).toBe(1);
  });
});
