// Records a noise fixture: the CPU-bound benchmark run N times in a row, each run its own process as
// the guard makes them, while a CPU-heavy load runs. Usage (after npm run build):
//   node dist/bench/record-noise.js <one|steady|bursty> <runs> <out.json>
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  LOAD_DESCRIPTION,
  type LoadKind,
  MESSAGES,
  SCENARIOS,
  startLoad,
  writeCpuBench,
} from "./cpu-bench.js";

export interface NoiseFixture {
  description: string;
  recordedAt: string;
  /** Host load averages (1, 5, 15 min) before the recording's own load started and after it stopped. */
  host: { cpus: number; model: string; node: string; loadavgBefore?: number[]; loadavgAfter?: number[] };
  /** What else is known about the conditions, e.g. for recordings made before load averages were kept. */
  note?: string;
  load: string;
  metric: "ms_per_msg";
  /** Per scenario, one value per run in the order the runs were made. */
  scenarios: Record<string, number[]>;
}

function record(kind: LoadKind, runs: number): NoiseFixture {
  const dir = mkdtempSync(path.join(os.tmpdir(), "shipgate-noise-"));
  const loadavgBefore = os.loadavg().map((l) => Number(l.toFixed(2)));
  const load = startLoad(kind, 15 * 60_000);
  const scenarios: Record<string, number[]> = Object.fromEntries(SCENARIOS.map((s) => [s, []]));
  try {
    writeCpuBench(dir, 1);
    // Let the load get going before the first run.
    spawnSync("sleep", ["1"]);
    for (let i = 0; i < runs; i++) {
      const out = path.join(dir, "out.json");
      const res = spawnSync(process.execPath, ["bench.mjs", out, String(MESSAGES)], { cwd: dir });
      if (res.status !== 0) throw new Error(`run ${i} exited ${res.status}: ${res.stderr}`);
      const { results } = JSON.parse(readFileSync(out, "utf8")) as {
        results: { bench: string; ms_per_msg: number }[];
      };
      for (const r of results) scenarios[r.bench]?.push(Number(r.ms_per_msg.toPrecision(6)));
    }
  } finally {
    load.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    description: `bench/cpu-bench.ts benchmark, ${MESSAGES} messages, unchanged code on every run, each run a new node process`,
    recordedAt: new Date().toISOString(),
    host: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      loadavgBefore,
      loadavgAfter: os.loadavg().map((l) => Number(l.toFixed(2))),
    },
    load: LOAD_DESCRIPTION[kind],
    metric: "ms_per_msg",
    scenarios,
  };
}

const [kind, runs, out] = process.argv.slice(2);
if (!kind || !(kind in LOAD_DESCRIPTION) || !runs || !out) {
  console.error("usage: record-noise.js <one|steady|bursty> <runs> <out.json>");
  process.exit(2);
}
writeFileSync(out, `${JSON.stringify(record(kind as LoadKind, Number(runs)), null, 1)}\n`);
