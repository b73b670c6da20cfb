// A small CPU-bound benchmark (real work, no sleeps) for the guard's end-to-end figure and for the
// noise recordings, plus a bounded CPU-heavy background load that this process starts and stops.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { benchRepo } from "./repo.js";

// factor.txt scales the work per message, scenarios.txt lists the benches. Timing starts after a
// warm-up, so the reported ms_per_msg scales with the work and not with Node's start-up.
export const CPU_BENCH = `import { readFileSync, writeFileSync } from "node:fs";
const factor = Number(readFileSync("factor.txt", "utf8"));
const benches = readFileSync("scenarios.txt", "utf8").trim().split(",");
const messages = Number(process.argv[3]);
const cost = { append: 1, multi_writer: 1.5, get_scan: 0.6 };
function work(units) {
  let h = 2166136261;
  for (let i = 0; i < units; i++) { h ^= i & 0xff; h = Math.imul(h, 16777619); }
  return h;
}
let sink = work(2_000_000);
const results = [];
for (const bench of benches) {
  const units = Math.round(100_000 * (cost[bench] ?? 1) * factor);
  const t0 = performance.now();
  for (let m = 0; m < messages; m++) sink ^= work(units);
  const ms = performance.now() - t0;
  results.push({ bench, durability: "fast", writers: 1, payload_bytes: 64, pool_size: 1048576, messages, ms_per_msg: ms / messages });
}
writeFileSync(process.argv[2], JSON.stringify({ results, sink }));
`;

export const SCENARIOS = ["append", "multi_writer", "get_scan"];
export const MESSAGES = 100;

/** The benchmark's files in `dir` (a plain directory or a git work tree). */
export function writeCpuBench(dir: string, factor: number): void {
  writeFileSync(path.join(dir, "bench.mjs"), CPU_BENCH);
  writeFileSync(path.join(dir, "factor.txt"), `${factor}\n`);
  writeFileSync(path.join(dir, "scenarios.txt"), `${SCENARIOS.join(",")}\n`);
}

/**
 * A real git repository: the benchmark at factor 1 tagged v0.2.0, then HEAD with `headFactor`.
 * Everything is committed, so the base worktree and the working tree differ only by factor.txt.
 */
export function cpuBenchRepo(headFactor: number): string {
  const { dir, git } = benchRepo("cpu", (d) => writeCpuBench(d, 1));
  git("tag", "-a", "v0.2.0", "-m", "v0.2.0");
  writeFileSync(path.join(dir, "factor.txt"), `${headFactor}\n`);
  git("commit", "-q", "--allow-empty", "-a", "-m", "candidate");
  return dir;
}

export type LoadKind = "one" | "steady" | "bursty";

export const LOAD_DESCRIPTION: Record<LoadKind, string> = {
  one: "1 process spinning without pause",
  steady: "2 processes spinning without pause (one per core)",
  bursty: "2 processes alternating random 20–400 ms busy bursts and 20–400 ms pauses",
};

// Each load process ends itself after maxMs even if this process dies without stopping it.
const LOAD_SCRIPT = `const [kind, maxMs] = [process.argv[1], Number(process.argv[2])];
const end = Date.now() + maxMs;
let x = 0;
const spin = (ms) => { const until = Math.min(end, Date.now() + ms); while (Date.now() < until) x = (x * 31 + 7) | 0; };
const rand = (a, b) => a + Math.random() * (b - a);
if (kind === "steady") spin(maxMs);
else {
  const step = () => { if (Date.now() >= end) process.exit(0); spin(rand(20, 400)); setTimeout(step, rand(20, 400)); };
  step();
}
`;

export interface Load {
  stop(): void;
}

/**
 * Starts the CPU-heavy background load; `stop` kills exactly the processes started here, and so does
 * this process's exit or a SIGINT/SIGTERM to it.
 */
export function startLoad(kind: LoadKind, maxMs: number): Load {
  const children: ChildProcess[] = [];
  for (let i = 0; i < (kind === "one" ? 1 : 2); i++)
    children.push(
      spawn(process.execPath, ["-e", LOAD_SCRIPT, kind === "bursty" ? "bursty" : "steady", String(maxMs)], {
        stdio: "ignore",
      }),
    );
  const stop = () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.once("exit", stop);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    stop() {
      stop();
      process.removeListener("exit", stop);
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    },
  };
}
