// Delivery figure: `shipgate deliver` over six channels (GitHub release, npm, crates.io, PyPI, the tap,
// the Go proxy) on loopback servers that answer every request after 300 ms. Channels are checked
// concurrently, so the wall time should be near the slowest channel, not the sum of them all.
import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DeliveryWorld } from "../scripts/loopback/delivery.js";
import { benchRepo } from "./repo.js";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/shipgate.js");
const TOKEN = "ghp_benchDeliveryToken0123456789abcdefgh";
const LATENCY_MS = 300;

/** Async on purpose: the loopback servers live in this process and must keep answering. */
function shipgate(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: dir, env: { ...process.env, GH_TOKEN: TOKEN, NO_COLOR: "1" } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

export async function run(): Promise<void> {
  const world = await DeliveryWorld.start({ token: TOKEN });
  world.publish("1.0.0");
  const { dir } = benchRepo("deliver", (d) =>
    writeFileSync(
      path.join(d, "shipgate.yaml"),
      `${JSON.stringify({ gates: [], ...world.config() }, null, 2)}\n`,
    ),
  );
  try {
    const init = await shipgate(dir, [
      "init",
      "--release-target",
      "v1.0.0",
      "--base-tag",
      "none",
      "--mode",
      "dry-run",
      "--agent",
      "bench@local",
    ]);
    if (init.code !== 0) throw new Error(`init exited ${init.code}: ${init.stderr}`);

    world.slowEverything(LATENCY_MS);
    const started = process.hrtime.bigint();
    const res = await shipgate(dir, ["deliver", "--release-target", "v1.0.0", "--wait", "0", "--json"]);
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    if (res.code !== 0) throw new Error(`deliver exited ${res.code}: ${res.stdout}${res.stderr}`);
    const ledger = JSON.parse(readFileSync(path.join(dir, ".shipgate/v1.0.0/evidence.json"), "utf8")) as {
      delivery: Record<string, { durationMs: number; status: string; checkedAt: string }>;
    };
    const channels = Object.entries(ledger.delivery);
    const sum = channels.reduce((total, [, d]) => total + d.durationMs, 0);
    const slowest = Math.max(...channels.map(([, d]) => d.durationMs));
    // From the first channel's start to the last one's answer, as the ledger records them.
    const ends = channels.map(([, d]) => Date.parse(d.checkedAt));
    const starts = channels.map(([, d]) => Date.parse(d.checkedAt) - d.durationMs);
    const checks = Math.max(...ends) - Math.min(...starts);
    console.log(`delivery: ${channels.length} channels, every loopback answer after ${LATENCY_MS} ms`);
    for (const [id, d] of channels) console.log(`  ${id}: ${d.status} in ${d.durationMs} ms`);
    console.log(`  sum of per-channel latencies: ${sum} ms (slowest channel: ${slowest} ms)`);
    console.log(
      `  deliver wall time, process start to exit: ${wall.toFixed(0)} ms; of it the checks: ${checks} ms`,
    );
    console.log(
      `  wall / sum: ${(wall / sum).toFixed(2)} (checks alone: ${(checks / sum).toFixed(2)}; 1.00 would be one channel after another)`,
    );
  } finally {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
