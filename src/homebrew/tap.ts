// The tap checkout as a git repository: what HEAD holds of the formula, the branch and what the remote
// has of it, and the commit and push the Homebrew step makes there (nothing else in the tap is touched).
import { execa } from "execa";
import { git, headAndBranch, headSha, remoteRefs, repoRoot } from "../context/git.js";
import { IncompleteError, UsageError } from "../errors.js";
import { redact } from "../evidence/redact.js";

export const TAP_PUSH_TIMEOUT_MS = 120_000;

/** The top of the tap checkout; refuses a directory that is not one (exit 2). */
export async function tapRoot(dir: string): Promise<string> {
  try {
    return await repoRoot(dir);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(
      `the tap path ${dir} is not a git checkout`,
      "clone the tap and point --tap-path at it",
    );
  }
}

/** The formula as committed at HEAD, or null when HEAD does not have it. */
export async function committedFormula(tap: string, formulaPath: string): Promise<Buffer | null> {
  const result = await execa("git", ["show", `HEAD:${formulaPath}`], {
    cwd: tap,
    reject: false,
    encoding: "buffer",
  });
  return result.failed ? null : Buffer.from(result.stdout as Uint8Array);
}

export async function tapHead(tap: string): Promise<{ sha: string; branch: string | null }> {
  return headAndBranch(tap);
}

/** Commits only the formula (other changes in the checkout stay as they are); returns the commit. */
export async function commitFormula(tap: string, formulaPath: string, message: string): Promise<string> {
  await git(tap, ["add", "--", formulaPath]);
  await git(tap, ["commit", "--quiet", "--no-verify", "-m", message, "--", formulaPath]);
  return headSha(tap);
}

/** The commit the remote's branch points at, or null when it has no such branch. */
export async function remoteBranch(tap: string, remote: string, branch: string): Promise<string | null> {
  const ref = `refs/heads/${branch}`;
  const found = await remoteRefs(tap, remote, [ref], { what: `the tap's ${branch}`, timeoutMs: 30_000 });
  return found.get(ref) ?? null;
}

/** Whether `commit` is already on the remote branch (equal to it, or behind it as far as we know). */
export async function remoteHas(tap: string, remoteSha: string | null, commit: string): Promise<boolean> {
  if (remoteSha === null) return false;
  if (remoteSha === commit) return true;
  const known = await git(tap, ["cat-file", "-t", remoteSha], { allowFail: true });
  if (known !== "commit") return false;
  const result = await execa("git", ["merge-base", "--is-ancestor", commit, remoteSha], {
    cwd: tap,
    reject: false,
  });
  return !result.failed;
}

export async function pushTap(tap: string, remote: string, branch: string): Promise<void> {
  const result = await execa("git", ["push", "--quiet", remote, `HEAD:refs/heads/${branch}`], {
    cwd: tap,
    reject: false,
    timeout: TAP_PUSH_TIMEOUT_MS,
    env: { GIT_TERMINAL_PROMPT: "0" },
  });
  if (result.failed) {
    const why = result.timedOut
      ? `no answer within ${TAP_PUSH_TIMEOUT_MS / 1000}s`
      : String(result.stderr).trim() || String(result.message);
    throw new IncompleteError(
      `could not push the tap to ${remote}: ${redact(why)}`,
      "the commit is kept in the tap checkout; rerun once the remote is reachable",
    );
  }
}

export async function isAncestor(tap: string, commit: string, of = "HEAD"): Promise<boolean> {
  const result = await execa("git", ["merge-base", "--is-ancestor", commit, of], { cwd: tap, reject: false });
  return !result.failed;
}
