// Test helper: whether a process is gone, and waiting until a condition holds (with a bound).
import { readFileSync } from "node:fs";

export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  // A zombie (exited, not yet reaped by a container's init) is gone for our purposes.
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2] === "Z";
  } catch {
    return true;
  }
}

/** Checks every 20 ms until `check` holds or `ms` have passed; answers the last check. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}
