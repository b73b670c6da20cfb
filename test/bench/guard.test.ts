// The performance guard end to end: real repositories, real worktrees, a benchmark that really sleeps.
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
const worktrees = (repo: TempRepo) => repo.git("worktree", "list").split("\n").length;

interface Verdicts {
  verdicts: { scenario: string; verdict: string; missingOn?: string }[];
  summary: string;
}

describe("shipgate bench", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("calls a planted 30 % slowdown regressed (exit 1) and records summaries and charts", async () => {
    repo = benchRepo({ factor: "1.3" });
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(BENCH, { cwd: repo.dir });
    expect(res.code).toBe(1);
    const out = res.json<Verdicts & { summaryMd: string; charts: string[] }>();
    expect(out.verdicts.map((v) => v.verdict)).toEqual(["regressed", "regressed", "regressed"]);
    expect(readFileSync(path.join(repo.dir, out.summaryMd), "utf8")).toContain("| regressed |");
    expect(out.charts).toHaveLength(3);
    expect(readFileSync(path.join(repo.dir, out.charts[0] as string), "utf8")).toMatch(
      /^<svg[\s\S]*<circle[\s\S]*<\/svg>\n$/,
    );
    const ledger = JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));
    expect(ledger.bench).toMatchObject({ status: "fail", runsPerSide: 3 });
    expect(existsSync(worktreeDir(repo))).toBe(false);
    expect(worktrees(repo)).toBe(1);
  });

  it("calls an unchanged HEAD ok (exit 0), also as a gate", async () => {
    repo = benchRepo();
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(BENCH, { cwd: repo.dir });
    expect(res.code).toBe(0);
    expect(res.json<Verdicts>().verdicts.every((v) => v.verdict === "ok")).toBe(true);
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
    repo.write(
      "emit.mjs",
      `import { writeFileSync } from "node:fs";
const [side, out, index] = process.argv.slice(2);
const values = { base: [1.0, 1.3, 0.8, 1.2, 0.9, 1.1], candidate: [1.15, 0.9, 1.4, 1.0, 1.3, 1.05] };
writeFileSync(out, JSON.stringify({ results: [{ scenario: "noisy", value: values[side][Number(index)] }] }));
`,
    );
    repo.write("shipgate.yaml", "bench:\n  run: node emit.mjs {side} {out} {runIndex}\n  format: generic\n");
    repo.commit("deterministic noisy bench");
    // The base side needs the same script: move the base tag here.
    repo.git("tag", "-f", "-a", "v0.2.0", "-m", "v0.2.0");
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli([...BENCH, "--runs", "3", "--max-runs", "5"], { cwd: repo.dir });
    expect(res.code).toBe(1);
    const out = res.json<Verdicts & { runsPerSide: number }>();
    expect(out.runsPerSide).toBe(5);
    expect(out.verdicts).toMatchObject([{ scenario: "noisy", verdict: "inconclusive" }]);
    expect(out.summary).toContain("noisy inconclusive after 5 runs");
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
      while (!existsSync(path.join(worktreeDir(repo), "bench.mjs")) && Date.now() < until)
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
