// The base side's git worktree under the evidence directory: created detached at the base tag,
// removed on every exit path, and a stale one (left by a killed run) cleaned before the next.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { git } from "../context/git.js";

export async function removeWorktree(repoRoot: string, dir: string): Promise<void> {
  await git(repoRoot, ["worktree", "remove", "--force", dir], { allowFail: true });
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  await git(repoRoot, ["worktree", "prune"], { allowFail: true });
}

export async function createWorktree(repoRoot: string, dir: string, tag: string): Promise<void> {
  await removeWorktree(repoRoot, dir);
  await git(repoRoot, ["worktree", "add", "--detach", "--force", dir, `refs/tags/${tag}`]);
}

/** For signal handlers, where the process exits next and no await would run. */
export function removeWorktreeSync(repoRoot: string, dir: string): void {
  spawnSync("git", ["worktree", "remove", "--force", dir], { cwd: repoRoot, stdio: "ignore" });
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  spawnSync("git", ["worktree", "prune"], { cwd: repoRoot, stdio: "ignore" });
}
