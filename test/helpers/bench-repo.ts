// Test helper: a git repository whose benchmark is a small node script that really sleeps per
// scenario and reports measured wall time in Plasmite's bench JSON.
import { releaseRepo } from "./demo-repo.js";
import type { TempRepo } from "./repo.js";

// factor.txt scales the per-message sleep; scenarios.txt lists the benches; crash.txt makes it fail.
const BENCH = `import { existsSync, readFileSync, writeFileSync } from "node:fs";
if (existsSync("crash.txt")) { console.error("bench: segfault in writer thread"); process.exit(139); }
const factor = Number(readFileSync("factor.txt", "utf8"));
const benches = readFileSync("scenarios.txt", "utf8").trim().split(",");
const pause = Number(process.env.BENCH_PAUSE_MS || 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
await sleep(pause);
const results = [];
for (const bench of benches) {
  const messages = Number(process.argv[3]);
  const t0 = performance.now();
  await sleep(messages * 8 * factor);
  results.push({ bench, durability: "fast", writers: 1, payload_bytes: 64, pool_size: 1048576, messages, ms_per_msg: (performance.now() - t0) / messages });
}
writeFileSync(process.argv[2], JSON.stringify({ results }));
`;

export const BENCH_CONFIG = `gates:
  - { id: perf, kind: bench }
bench:
  build: "test -f bench.mjs"
  run: node bench.mjs {out} {messages}
  params: { messages: 10 }
  format: plasmite
  runs: 3
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
