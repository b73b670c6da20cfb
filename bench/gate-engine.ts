// Gate-engine figure: 8 independent gates that each sleep 1 s, run with --jobs 8 and then one at a time.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchRepo } from "./repo.js";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/shipgate.js");
const GATES = 8;

function timedRun(dir: string, jobs: number): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(
    process.execPath,
    [cli, "gates", "--release-target", "v1.0.0", "--jobs", String(jobs), "--rerun", "--json"],
    {
      cwd: dir,
      encoding: "utf8",
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.status !== 0) throw new Error(`gates --jobs ${jobs} exited ${res.status}: ${res.stderr}`);
  return seconds;
}

export async function run(): Promise<void> {
  const gates = Array.from({ length: GATES }, (_, i) => `  - { id: sleep${i}, run: "sleep 1" }`).join("\n");
  const { dir } = benchRepo("gates", (d) =>
    writeFileSync(path.join(d, "shipgate.yaml"), `gates:\n${gates}\n`),
  );
  try {
    const init = spawnSync(
      process.execPath,
      [
        cli,
        "init",
        "--release-target",
        "v1.0.0",
        "--base-tag",
        "none",
        "--mode",
        "dry-run",
        "--agent",
        "bench@local",
      ],
      { cwd: dir },
    );
    if (init.status !== 0) throw new Error(`init exited ${init.status}`);

    const parallel = timedRun(dir, GATES);
    const serial = timedRun(dir, 1);
    console.log(`gate engine: ${GATES} gates sleeping 1 s each`);
    console.log(`  --jobs ${GATES}: ${parallel.toFixed(2)} s wall`);
    console.log(`  --jobs 1: ${serial.toFixed(2)} s wall`);
    console.log(
      `  speed-up: ${(serial / parallel).toFixed(2)}x; --jobs ${GATES} wall = ${(parallel / serial).toFixed(3)}x --jobs 1`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
