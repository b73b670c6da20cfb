// Test helper: a git repository whose benchmark is a small node script reporting fixed per-run values
// (scaled by factor.txt) in Plasmite's bench JSON, so verdicts and run counts do not hang on timing.
import { releaseRepo } from "./demo-repo.js";
import type { TempRepo } from "./repo.js";

// factor.txt scales the reported values; scenarios.txt lists the benches; crash.txt makes it fail;
// BENCH_PAUSE_MS holds a run open (for interrupt tests). Each run index has its own ±2 % jitter, the
// same on both sides: an unchanged HEAD gives identical samples, factor 1.3 a clean 30 % slowdown.
const BENCH = `import { existsSync, readFileSync, writeFileSync } from "node:fs";
if (existsSync("crash.txt")) { console.error("bench: segfault in writer thread"); process.exit(139); }
const factor = Number(readFileSync("factor.txt", "utf8"));
const benches = readFileSync("scenarios.txt", "utf8").trim().split(",");
await new Promise((r) => setTimeout(r, Number(process.env.BENCH_PAUSE_MS || 0)));
const [out, messages, runIndex] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const jitter = 1 + 0.01 * (((runIndex * 7) % 5) - 2);
const results = benches.map((bench, i) => ({ bench, durability: "fast", writers: 1, payload_bytes: 64, pool_size: 1048576, messages, ms_per_msg: 0.01 * (i + 1) * factor * jitter }));
writeFileSync(out, JSON.stringify({ results }));
`;

export const BENCH_CONFIG = `gates:
  - { id: perf, kind: bench }
bench:
  build: "test -f bench.mjs"
  run: node bench.mjs {out} {messages} {runIndex}
  params: { messages: 10 }
  format: plasmite
  runs: 4
  maxRuns: 10
`;

/** Tags v0.1.0 and v0.2.0 with the benchmark at factor 1; HEAD then gets `head` changes committed. */
export function benchRepo(head: { factor?: string; scenarios?: string } = {}): TempRepo {
  const repo = releaseRepo(BENCH_CONFIG);
  repo.write("bench.mjs", BENCH);
  repo.write("factor.txt", "1\n");
  repo.write("scenarios.txt", "append,multi_writer,get_scan\n");
  repo.commit("add the benchmark");
  repo.git("tag", "-f", "-a", "v0.2.0", "-m", "v0.2.0");
  if (head.factor) repo.write("factor.txt", `${head.factor}\n`);
  if (head.scenarios) repo.write("scenarios.txt", `${head.scenarios}\n`);
  repo.commit("candidate");
  return repo;
}
