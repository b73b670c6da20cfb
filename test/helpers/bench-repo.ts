// Test helper: a git repository whose benchmark is a small shell script reporting fixed per-run values
// (scaled by factor.txt) in Plasmite's bench JSON, so verdicts and run counts do not hang on timing.
import { releaseRepo } from "./demo-repo.js";
import type { TempRepo } from "./repo.js";

// factor.txt scales the reported values; scenarios.txt lists the benches; crash.txt makes it fail;
// BENCH_PAUSE_MS holds a run open (for interrupt tests). Each run index has its own ±2 % jitter, the
// same on both sides: an unchanged HEAD gives identical samples, factor 1.3 a clean 30 % slowdown.
const BENCH = `#!/bin/sh
# A shell script rather than node: a bench run is started dozens of times per test, and sh costs little.
if [ -e crash.txt ]; then echo "bench: segfault in writer thread" >&2; exit 139; fi
if [ "\${BENCH_PAUSE_MS:-0}" -gt 0 ]; then sleep "$(awk -v ms="$BENCH_PAUSE_MS" 'BEGIN { print ms / 1000 }')"; fi
awk -v out="$1" -v messages="$2" -v run="$3" -v factor="$(cat factor.txt)" -v benches="$(cat scenarios.txt)" 'BEGIN {
  jitter = 1 + 0.01 * (((run * 7) % 5) - 2)
  n = split(benches, names, ",")
  json = "{\\"results\\": ["
  for (i = 1; i <= n; i++)
    json = json (i > 1 ? ", " : "") sprintf("{\\"bench\\": \\"%s\\", \\"durability\\": \\"fast\\", \\"writers\\": 1, \\"payload_bytes\\": 64, \\"pool_size\\": 1048576, \\"messages\\": %d, \\"ms_per_msg\\": %.12f}", names[i], messages, 0.01 * i * factor * jitter)
  print json "]}" > out
}'
`;

export const BENCH_CONFIG = `gates:
  - { id: perf, kind: bench }
bench:
  build: "test -f bench.sh"
  run: sh bench.sh {out} {messages} {runIndex}
  params: { messages: 10 }
  format: plasmite
  runs: 4
  maxRuns: 10
`;

/** Tags v0.1.0 and v0.2.0 with the benchmark at factor 1; HEAD then gets `head` changes committed. */
export function benchRepo(head: { factor?: string; scenarios?: string } = {}): TempRepo {
  const repo = releaseRepo(BENCH_CONFIG);
  repo.write("bench.sh", BENCH);
  repo.write("factor.txt", "1\n");
  repo.write("scenarios.txt", "append,multi_writer,get_scan\n");
  repo.commit("add the benchmark");
  repo.git("tag", "-f", "-a", "v0.2.0", "-m", "v0.2.0");
  if (head.factor) repo.write("factor.txt", `${head.factor}\n`);
  if (head.scenarios) repo.write("scenarios.txt", `${head.scenarios}\n`);
  repo.commit("candidate");
  return repo;
}
