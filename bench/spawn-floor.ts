// The floor under the gate-engine figure: a Node program that does nothing but what the engine must
// do at least (start each gate's `bash -c "sleep 1"` in its own process group with piped output, at
// most N at a time, and wait for all), timed the same way. Run as `node spawn-floor.js <jobs> <gates>`.
import { spawn } from "node:child_process";

function gate(): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", "sleep 1"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.resume();
    child.stderr.resume();
    child.on("close", () => resolve());
  });
}

const [jobs, gates] = process.argv.slice(2).map(Number) as [number, number];
let left = gates;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (left > 0) {
      left--;
      await gate();
    }
  }),
);
