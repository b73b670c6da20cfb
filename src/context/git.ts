// Every git fact shipgate uses comes from here: HEAD, branch, tags, cleanliness, upstream, changed files.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { IncompleteError, UsageError } from "../errors.js";
import { redact } from "../evidence/redact.js";

interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Set when git could not be started (ENOENT: not installed) or was killed on timeout. */
  spawnError?: string;
  timedOut?: boolean;
  /** git's exit status when it ran and failed. */
  exitCode?: number;
}

const MAX_OUTPUT = 256 * 1024 * 1024;

/**
 * Runs git with node's execFile rather than execa: a cached `gates` rerun makes a dozen git calls, and
 * execa's per-call setup doubles the CPU each costs, which is most of a command's start-up.
 */
function runGit(cwd: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<GitResult>((resolve) => {
    execFile(
      "git",
      args,
      {
        cwd,
        encoding: "utf8",
        maxBuffer: MAX_OUTPUT,
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
        ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
      },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        resolve({
          ok: false,
          stdout: String(stdout ?? ""),
          stderr: String(stderr ?? ""),
          ...(typeof e.code === "string" ? { spawnError: e.code } : {}),
          ...(typeof e.code === "number" ? { exitCode: e.code } : {}),
          ...(e.killed && e.signal === "SIGTERM" && options.timeoutMs ? { timedOut: true } : {}),
        });
      },
    );
  });
}

function notInstalled(result: GitResult): boolean {
  return result.spawnError === "ENOENT";
}

export async function git(
  cwd: string,
  args: string[],
  options: { allowFail?: boolean } = {},
): Promise<string> {
  const result = await runGit(cwd, args);
  if (!result.ok && !options.allowFail) {
    if (notInstalled(result)) throw new IncompleteError("git is not installed or not on PATH");
    throw new IncompleteError(`git ${args.join(" ")} failed: ${result.stderr.trim() || "no message"}`);
  }
  return result.ok ? result.stdout.replace(/\n$/, "") : "";
}

async function gitOk(cwd: string, args: string[]): Promise<boolean> {
  return (await runGit(cwd, args)).ok;
}

/** Environment variables that change where git finds the repository; with any set, git itself decides. */
const DISCOVERY_ENV = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_CEILING_DIRECTORIES",
  "GIT_DISCOVERY_ACROSS_FILESYSTEM",
];

/**
 * The work tree's top found the way git finds it in the plain case: the nearest directory upwards holding
 * a `.git` directory (with a HEAD) or a `.git` file (a worktree or submodule: "gitdir: …"). Every command
 * asks this first, and a fork of git costs more than the walk; anything unusual (discovery variables,
 * a path inside a `.git` directory, a `.git` of another shape, nothing found) returns null so that git
 * answers instead.
 */
function workTreeTop(cwd: string): string | null {
  if (DISCOVERY_ENV.some((name) => process.env[name] !== undefined)) return null;
  let dir: string;
  try {
    dir = realpathSync(cwd);
  } catch {
    return null;
  }
  if (dir.split(path.sep).includes(".git")) return null;
  for (;;) {
    const dotGit = path.join(dir, ".git");
    try {
      const stat = lstatSync(dotGit);
      if (stat.isDirectory()) return existsSync(path.join(dotGit, "HEAD")) ? dir : null;
      if (stat.isFile()) return readFileSync(dotGit, "utf8").startsWith("gitdir: ") ? dir : null;
      return null;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") return null; // unreadable: let git say why
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The top of the work tree containing `cwd`; refuses outside a git repository. */
export async function repoRoot(cwd: string): Promise<string> {
  // git cannot even start in a missing directory (its spawn fails as if git were not installed).
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`${cwd} is not a directory, so not inside a git repository`);
  const found = workTreeTop(cwd);
  if (found) return found;
  const result = await runGit(cwd, ["rev-parse", "--show-toplevel"]);
  if (!result.ok) {
    if (notInstalled(result)) throw new IncompleteError("git is not installed or not on PATH");
    throw new UsageError(`${cwd} is not inside a git repository`);
  }
  return result.stdout.trim();
}

export async function headSha(cwd: string): Promise<string> {
  const fromFiles = headFromFiles(cwd);
  if (fromFiles) return fromFiles.sha;
  const sha = await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"], { allowFail: true });
  if (!sha) throw new UsageError("the repository has no commits yet");
  return sha;
}

/**
 * Whether `tag` names a commit here and is an ancestor of HEAD, in one git call: merge-base exits 1 for
 * "not an ancestor" and 128 when the tag does not name a commit.
 */
export async function tagAncestry(
  cwd: string,
  tag: string,
): Promise<"ancestor" | "not-ancestor" | "missing"> {
  const result = await runGit(cwd, ["merge-base", "--is-ancestor", `refs/tags/${tag}^{commit}`, "HEAD"]);
  if (result.ok) return "ancestor";
  if (notInstalled(result)) throw new IncompleteError("git is not installed or not on PATH");
  return result.exitCode === 1 ? "not-ancestor" : "missing";
}

/** Every tag's name. */
export async function listTags(cwd: string): Promise<string[]> {
  const out = await git(cwd, ["for-each-ref", "--format=%(refname:strip=2)", "refs/tags"]);
  return out.split("\n").filter(Boolean);
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

/** Splits git's NUL-terminated output (-z) into its records. */
function nulList(out: string): string[] {
  return out.split("\0").filter(Boolean);
}

/**
 * Files changed since `baseTag` (committed, staged, unstaged and untracked), or every file in the tree
 * when `baseTag` is null (a first release: every conditional gate applies). `untracked` may be given
 * when the caller already has it (from treeSnapshot), saving a git call.
 */
export async function changedFiles(
  cwd: string,
  baseTag: string | null,
  exclude: string[] = [],
  /** Already known (or being learnt) from a tree snapshot; asked of git otherwise. */
  untracked?: string[] | Promise<string[]>,
): Promise<string[]> {
  const specs = ["--", ".", ...excludeSpecs(exclude)];
  const [tracked, others] = await Promise.all([
    baseTag
      ? git(cwd, ["diff", "--name-only", "-z", "--no-renames", `refs/tags/${baseTag}`, ...specs])
      : git(cwd, ["ls-files", "-z", ...specs]),
    untracked ?? git(cwd, ["ls-files", "-z", "--others", "--exclude-standard", ...specs]).then(nulList),
  ]);
  return [...new Set([...nulList(tracked), ...others])].sort();
}

export interface TreeSnapshot {
  /** A digest of everything uncommitted: staged and unstaged changes and untracked files, with content. */
  fingerprint: string;
  untracked: string[];
}

/** The worktree's content for one path, as the fingerprint sees it (a link's target, or the bytes). */
function contentDigest(file: string): string {
  try {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) return `link:${readlinkSync(file)}`;
    if (!stat.isFile()) return `other:${stat.mode}`;
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return "absent";
  }
}

/**
 * One `git status` gives both the fingerprint of uncommitted state (so a cached gate result is reused only
 * when the tree is exactly as it was) and the untracked files. Worktree content is hashed here rather
 * than by more git calls: every git process costs a fork of this one.
 */
export async function treeSnapshot(cwd: string, exclude: string[] = []): Promise<TreeSnapshot> {
  const out = await git(cwd, [
    "--no-optional-locks",
    "status",
    "--porcelain=v2",
    "-z",
    "--untracked-files=all",
    "--",
    ".",
    ...excludeSpecs(exclude),
  ]);
  const records = nulList(out);
  const hash = createHash("sha256");
  const untracked: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as string;
    // Fields before the path: 8 for an ordinary change, 9 for a rename or copy, 10 for an unmerged path.
    const fieldsBefore = { "1": 8, "2": 9, u: 10, "?": 1, "!": 1 }[record[0] as string] ?? 0;
    const filePath = record.split(" ").slice(fieldsBefore).join(" ");
    hash.update(record).update("\0");
    if (record[0] === "2") hash.update(records[++i] ?? "").update("\0"); // the rename's original path
    if (record[0] === "?") untracked.push(filePath);
    hash.update(contentDigest(path.join(cwd, filePath))).update("\n");
  }
  return { fingerprint: hash.digest("hex"), untracked };
}

export async function worktreeFingerprint(cwd: string, exclude: string[] = []): Promise<string> {
  return (await treeSnapshot(cwd, exclude)).fingerprint;
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * HEAD and its branch read from the files git keeps them in, in the plain case only: a `.git`
 * directory with a HEAD naming a branch whose ref is a loose file holding a commit id, or a detached
 * HEAD holding one. Commands ask this several times each, and reading two small files costs far less
 * than a fork of git. Anything else (a worktree or submodule, packed or symbolic refs, the reftable
 * format, a branch with no commit yet, discovery variables) returns null so that git answers.
 */
function headFromFiles(cwd: string): { sha: string; branch: string | null } | null {
  const top = workTreeTop(cwd);
  if (!top) return null;
  const gitDir = path.join(top, ".git");
  try {
    if (!lstatSync(gitDir).isDirectory() || existsSync(path.join(gitDir, "reftable"))) return null;
    const head = readFileSync(path.join(gitDir, "HEAD"), "utf8").trim();
    if (OBJECT_ID.test(head)) return { sha: head, branch: null };
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    if (!ref || ref.split("/").includes("..")) return null;
    const sha = readFileSync(path.join(gitDir, ref), "utf8").trim();
    return OBJECT_ID.test(sha) ? { sha, branch: ref.slice("refs/heads/".length) } : null;
  } catch {
    return null; // no such file (a packed ref, an unborn branch): git decides
  }
}

/** HEAD and the current branch (null when detached): from git's files when plain, else one git call. */
export async function headAndBranch(cwd: string): Promise<{ sha: string; branch: string | null }> {
  const fromFiles = headFromFiles(cwd);
  if (fromFiles) return fromFiles;
  const out = await git(cwd, ["rev-parse", "HEAD", "--abbrev-ref", "HEAD"], { allowFail: true });
  const [sha, name] = out.split("\n");
  if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) throw new UsageError("the repository has no commits yet");
  return { sha, branch: name && name !== "HEAD" ? name : null };
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
/**
 * What the remote has for each of `refs` (exact names; `refs/tags/X^{}` asks for an annotated tag's
 * commit), from one `git ls-remote`: the one way shipgate asks a git remote anything. `what` names the
 * question in the error of an unreachable or silent remote.
 */
export async function remoteRefs(
  cwd: string,
  remote: string,
  refs: string[],
  options: { what: string; timeoutMs?: number },
): Promise<Map<string, string>> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const result = await runGit(cwd, ["ls-remote", remote, ...refs], {
    timeoutMs,
    env: { GIT_TERMINAL_PROMPT: "0" },
  });
  if (!result.ok) {
    const why = result.timedOut ? `no answer within ${timeoutMs / 1000}s` : result.stderr.trim();
    throw new IncompleteError(
      `could not read ${options.what} from remote ${remote}: ${redact(why || "git ls-remote failed")}`,
    );
  }
  const found = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const [sha, name] = line.trim().split(/\s+/);
    if (sha && name && refs.includes(name)) found.set(name, sha);
  }
  return found;
}

export async function remoteTag(
  cwd: string,
  remote: string,
  tag: string,
  timeoutMs = 15_000,
): Promise<RemoteTag | null> {
  const ref = `refs/tags/${tag}`;
  const found = await remoteRefs(cwd, remote, [ref, `${ref}^{}`], { what: "tags", timeoutMs });
  const object = found.get(ref);
  return object ? { object, commit: found.get(`${ref}^{}`) ?? object } : null;
}

/** True for an annotated tag (a tag object), false for a lightweight one (a bare commit ref). */
export async function isAnnotatedTag(cwd: string, tag: string): Promise<boolean> {
  return (await git(cwd, ["cat-file", "-t", `refs/tags/${tag}`], { allowFail: true })) === "tag";
}

export async function remoteUrl(cwd: string, remote: string): Promise<string | null> {
  return (await git(cwd, ["remote", "get-url", remote], { allowFail: true })) || null;
}
