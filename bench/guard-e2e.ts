// End-to-end figure of the performance guard: the real runner (runBench) on a real temp git
// repository whose benchmark does real CPU work, while a CPU-heavy process that this module starts
// and stops runs beside it. A 30 % slowdown should be `regressed`, an unchanged HEAD `ok`.
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchConfigSchema } from "../src/bench/config.js";
import { runBench } from "../src/bench/runner.js";
import { execShell } from "../src/gates/exec.js";
import { cpuBenchRepo, LOAD_DESCRIPTION, MESSAGES, startLoad } from "./cpu-bench.js";

/** The load ends itself after this long even if this process dies without stopping it. */
const LOAD_LIMIT_MS = 10 * 60_000;
const RUN_TIMEOUT_MS = 60_000;

async function guard(headFactor: number, expected: "regressed" | "ok"): Promise<boolean> {
  const repo = cpuBenchRepo(headFactor);
  const started = Date.now();
  try {
    // Defaults for runs, maxRuns and threshold: the figure is for the guard as shipped.
    const bench = benchConfigSchema.parse({
      run: "node bench.mjs {out} {messages}",
      params: { messages: MESSAGES },
      format: "plasmite",
    });
    const report = await runBench({
      repoRoot: repo,
      targetDir: path.join(repo, ".shipgate", "v0.3.0"),
      baseTag: "v0.2.0",
      bench,
      signal: new AbortController().signal,
      log: () => {},
      exec: (command, options) => execShell(command, { ...options, timeoutMs: RUN_TIMEOUT_MS }),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const label = headFactor === 1 ? "unchanged HEAD" : `${Math.round((headFactor - 1) * 100)} % slowdown`;
    const verdicts = report.scenarios.map((s) => s.verdict);
    const met = report.scenarios.length === 3 && verdicts.every((v) => v === expected);
    console.log(
      `  ${label}: ${report.status}, ${report.runsPerSide} runs a side, ${seconds} s, host load average ${os.loadavg()[0]?.toFixed(1)} — expected every scenario ${expected} ${met ? "✓" : "✗ MISSED"}`,
    );
    if (report.status === "incomplete") console.log(`    ${report.summary}`);
    for (const s of report.scenarios) {
      const ci = s.ci ? s.ci.map((r) => `${((r - 1) * 100).toFixed(1)} %`).join(" … ") : "—";
      console.log(
        `    ${s.verdict.padEnd(12)} ${s.scenario.split(" ")[0]?.padEnd(13)} change ${s.regressionPercent?.toFixed(1)} % [${ci}] by ${s.statistic}`,
      );
    }
    return met;
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log(
    `real runner on a temp git repository (CPU-bound benchmark, ${MESSAGES} messages, 3 scenarios), default runs/maxRuns/threshold, while ${LOAD_DESCRIPTION.one}; host (${os.cpus().length} cores) load average ${os.loadavg()[0]?.toFixed(1)} before it started`,
  );
  const load = startLoad("one", LOAD_LIMIT_MS);
  try {
    await guard(1.3, "regressed");
    await guard(1, "ok");
  } finally {
    load.stop();
  }
  console.log(`  host load average ${os.loadavg()[0]?.toFixed(1)} after`);
}
