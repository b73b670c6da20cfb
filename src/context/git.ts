// Every git fact shipgate uses comes from here: HEAD, branch, tags, cleanliness, upstream, changed files.
import { createHash } from "node:crypto";
import { execa } from "execa";
import { IncompleteError, UsageError } from "../errors.js";

export async function git(
  cwd: string,
  args: string[],
  options: { allowFail?: boolean } = {},
): Promise<string> {
  const result = await execa("git", args, { cwd, reject: false, stripFinalNewline: true, encoding: "utf8" });
  if (result.failed && !options.allowFail) {
    const code = (result as { code?: string }).code;
    if (code === "ENOENT") throw new IncompleteError("git is not installed or not on PATH");
    throw new IncompleteError(
      `git ${args.join(" ")} failed: ${String(result.stderr || result.message).trim()}`,
    );
  }
  return result.failed ? "" : String(result.stdout);
}

async function gitOk(cwd: string, args: string[]): Promise<boolean> {
  const result = await execa("git", args, { cwd, reject: false });
  return !result.failed;
}

/** The top of the work tree containing `cwd`; refuses outside a git repository. */
export async function repoRoot(cwd: string): Promise<string> {
  const result = await execa("git", ["rev-parse", "--show-toplevel"], { cwd, reject: false });
  if (result.failed) {
    if ((result as { code?: string }).code === "ENOENT")
      throw new IncompleteError("git is not installed or not on PATH");
    throw new UsageError(`${cwd} is not inside a git repository`);
  }
  return String(result.stdout).trim();
}

export async function headSha(cwd: string): Promise<string> {
  const sha = await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"], { allowFail: true });
  if (!sha) throw new UsageError("the repository has no commits yet");
  return sha;
}

/** The current branch, or null on a detached HEAD. */
export async function currentBranch(cwd: string): Promise<string | null> {
  const name = await git(cwd, ["symbolic-ref", "--short", "-q", "HEAD"], { allowFail: true });
  return name || null;
}

export async function tagExists(cwd: string, tag: string): Promise<boolean> {
  return gitOk(cwd, ["rev-parse", "--verify", "-q", `refs/tags/${tag}^{commit}`]);
}

export async function tagCommit(cwd: string, tag: string): Promise<string | null> {
  return (
    (await git(cwd, ["rev-parse", "--verify", "-q", `refs/tags/${tag}^{commit}`], { allowFail: true })) ||
    null
  );
}

export async function isAncestor(cwd: string, ancestor: string, descendant = "HEAD"): Promise<boolean> {
  return gitOk(cwd, ["merge-base", "--is-ancestor", ancestor, descendant]);
}

export async function localTags(cwd: string): Promise<string[]> {
  const out = await git(cwd, ["tag", "--list"]);
  return out ? out.split("\n").filter(Boolean) : [];
}

/** Paths as git prints them; `exclude` directories (relative to the root) are left out. */
function excludeSpecs(exclude: string[]): string[] {
  return exclude.filter(Boolean).map((dir) => `:(exclude)${dir}`);
}

export interface DirtyState {
  clean: boolean;
  entries: string[];
}

export async function workingTreeState(cwd: string, exclude: string[] = []): Promise<DirtyState> {
  const out = await git(cwd, [
    "status",
    "--porcelain=v1",
    "--untracked-files=all",
    "--",
    ".",
    ...excludeSpecs(exclude),
  ]);
  const entries = out ? out.split("\n").filter(Boolean) : [];
  return { clean: entries.length === 0, entries };
}

export interface UpstreamState {
  upstream: string | null;
  ahead: number;
  behind: number;
}

export async function upstreamState(cwd: string): Promise<UpstreamState> {
  const upstream = await git(cwd, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], {
    allowFail: true,
  });
  if (!upstream) return { upstream: null, ahead: 0, behind: 0 };
  const counts = await git(cwd, ["rev-list", "--left-right", "--count", "@{u}...HEAD"]);
  const [behind, ahead] = counts.split(/\s+/).map(Number);
  return { upstream, ahead: ahead ?? 0, behind: behind ?? 0 };
}

/**
 * Files changed since `baseTag` (committed, staged, unstaged and untracked), or every file
 * in the tree when `baseTag` is null (a first release: every conditional gate applies).
 */
export async function changedFiles(
  cwd: string,
  baseTag: string | null,
  exclude: string[] = [],
): Promise<string[]> {
  const specs = ["--", ".", ...excludeSpecs(exclude)];
  const tracked = baseTag
    ? await git(cwd, ["diff", "--name-only", "--no-renames", `refs/tags/${baseTag}`, ...specs])
    : await git(cwd, ["ls-files", ...specs]);
  const untracked = await git(cwd, ["ls-files", "--others", "--exclude-standard", ...specs]);
  const files = new Set([...tracked.split("\n"), ...untracked.split("\n")].filter(Boolean));
  return [...files].sort();
}

/**
 * A digest of uncommitted state (tracked diffs and untracked files with their content), so a
 * cached gate result is reused only when the tree is exactly as it was.
 */
export async function worktreeFingerprint(cwd: string, exclude: string[] = []): Promise<string> {
  const specs = ["--", ".", ...excludeSpecs(exclude)];
  const hash = createHash("sha256");
  hash.update(await git(cwd, ["diff", "HEAD", "--binary", ...specs]));
  const untracked = (await git(cwd, ["ls-files", "--others", "--exclude-standard", ...specs]))
    .split("\n")
    .filter(Boolean);
  if (untracked.length > 0) {
    const blobs = await git(cwd, ["hash-object", "--", ...untracked]);
    hash.update(untracked.join("\n"));
    hash.update(blobs);
  }
  return hash.digest("hex");
}

/** owner/name parsed from the origin remote, when it points at GitHub-style hosting. */
export async function originRepoSlug(cwd: string): Promise<string | null> {
  const url = await git(cwd, ["remote", "get-url", "origin"], { allowFail: true });
  const match = /[:/]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : null;
}

export type RemoteTagState = "present" | "absent" | "unknown";

/** Whether `tag` exists on the origin remote; `unknown` without an origin or when it cannot be reached. */
export async function remoteTagState(cwd: string, tag: string, timeoutMs = 15_000): Promise<RemoteTagState> {
  const origin = await git(cwd, ["remote", "get-url", "origin"], { allowFail: true });
  if (!origin) return "unknown";
  try {
    return (await remoteTag(cwd, "origin", tag, timeoutMs)) ? "present" : "absent";
  } catch {
    return "unknown";
  }
}

export interface RemoteTag {
  /** The object the tag ref names (the tag object for an annotated tag). */
  object: string;
  /** The commit it points at (peeled). */
  commit: string;
}

/** `tag` on `remote`, or null when the remote answers without it; IncompleteError when it cannot be asked. */
export async function remoteTag(
  cwd: string,
  remote: string,
  tag: string,
  timeoutMs = 15_000,
): Promise<RemoteTag | null> {
  const ref = `refs/tags/${tag}`;
  const result = await execa("git", ["ls-remote", "--tags", remote, ref, `${ref}^{}`], {
    cwd,
    reject: false,
    timeout: timeoutMs,
    env: { GIT_TERMINAL_PROMPT: "0" },
  });
  if (result.failed) {
    const why = result.timedOut ? `no answer within ${timeoutMs / 1000}s` : String(result.stderr).trim();
    throw new IncompleteError(`could not read tags from remote ${remote}: ${why || result.message}`);
  }
  let object: string | null = null;
  let peeled: string | null = null;
  for (const line of String(result.stdout).split("\n")) {
    const [sha, name] = line.trim().split(/\s+/);
    if (name === ref) object = sha ?? null;
    if (name === `${ref}^{}`) peeled = sha ?? null;
  }
  return object ? { object, commit: peeled ?? object } : null;
}

/** True for an annotated tag (a tag object), false for a lightweight one (a bare commit ref). */
export async function isAnnotatedTag(cwd: string, tag: string): Promise<boolean> {
  return (await git(cwd, ["cat-file", "-t", `refs/tags/${tag}`], { allowFail: true })) === "tag";
}

export async function remoteUrl(cwd: string, remote: string): Promise<string | null> {
  return (await git(cwd, ["remote", "get-url", remote], { allowFail: true })) || null;
}
