// Gate-engine figure: 8 independent gates that each sleep 1 s, run with --jobs 8 and then one at a time,
// beside the floor: a bare Node program that only starts and waits for the same 8 commands
// (spawn-floor.ts), so the figure shows what shipgate adds to what any Node program pays here.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchRepo } from "./repo.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, "../bin/shipgate.js");
const GATES = 8;

function timed(args: string[], dir: string): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.status !== 0) throw new Error(`${args.join(" ")} exited ${res.status}: ${res.stderr}`);
  return seconds;
}

function timedRun(dir: string, jobs: number): number {
  return timed(
    [cli, "gates", "--release-target", "v1.0.0", "--jobs", String(jobs), "--rerun", "--json"],
    dir,
  );
}

function floorRun(dir: string, jobs: number): number {
  return timed([path.join(here, "spawn-floor.js"), String(jobs), String(GATES)], dir);
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
    const floorParallel = floorRun(dir, GATES);
    const floorSerial = floorRun(dir, 1);
    console.log(`gate engine: ${GATES} gates sleeping 1 s each`);
    console.log(`  --jobs ${GATES}: ${parallel.toFixed(2)} s wall`);
    console.log(`  --jobs 1: ${serial.toFixed(2)} s wall`);
    console.log(
      `  speed-up: ${(serial / parallel).toFixed(2)}x; --jobs ${GATES} wall = ${(parallel / serial).toFixed(3)}x --jobs 1`,
    );
    console.log(
      `  floor (a bare node program starting the same commands): ${floorParallel.toFixed(2)} s with ${GATES} at a time, ${floorSerial.toFixed(2)} s one at a time = ${(floorParallel / floorSerial).toFixed(3)}x`,
    );
    console.log(
      `  shipgate over the floor: +${((parallel - floorParallel) * 1000).toFixed(0)} ms with --jobs ${GATES}, +${((serial - floorSerial) * 1000).toFixed(0)} ms with --jobs 1`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
