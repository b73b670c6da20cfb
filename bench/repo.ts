// Benchmarks' throwaway repositories: a temp directory the caller fills, committed as one commit on
// main (the evidence directory ignored), with a git that needs no user configuration.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface BenchRepo {
  dir: string;
  /** git in the repository, with a bench identity and unsigned tags. */
  git(...args: string[]): void;
}

/** A new repository whose first commit holds what `fill` writes into its directory. */
export function benchRepo(name: string, fill: (dir: string) => void): BenchRepo {
  const dir = mkdtempSync(path.join(os.tmpdir(), `shipgate-bench-${name}-`));
  const git = (...args: string[]) => {
    execFileSync(
      "git",
      ["-c", "user.email=b@example.invalid", "-c", "user.name=bench", "-c", "tag.gpgsign=false", ...args],
      { cwd: dir, stdio: "ignore" },
    );
  };
  fill(dir);
  writeFileSync(path.join(dir, ".gitignore"), ".shipgate/\n");
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", name);
  return { dir, git };
}
