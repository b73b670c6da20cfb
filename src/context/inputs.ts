// The four release inputs and their validation. Nothing here is ever inferred from tags or files.
import { IncompleteError, UsageError } from "../errors.js";
import { isAncestor, listTags, remoteTag, remoteUrl, tagAncestry, tagCommit } from "./git.js";

export const MODES = ["dry-run", "live"] as const;
export type Mode = (typeof MODES)[number];
/** The literal a user passes as --base-tag for a first release. */
export const NO_BASE_TAG = "none";

export interface ReleaseContext {
  releaseTarget: string;
  /** A tag, or "none" for a first release. */
  baseTag: string;
  mode: Mode;
  agent: string;
}

export interface RawInputs {
  releaseTarget?: string;
  baseTag?: string;
  mode?: string;
  agent?: string;
}

// model@host: no whitespace, no second @, nothing invisible (controls, format characters).
const AGENT_RE = /^[^\s@\p{C}]+@[^\s@\p{C}]+$/u;

const CHAR_NAMES: Record<number, string> = {
  9: "tab",
  10: "newline",
  13: "carriage return",
  32: "space",
  160: "no-break space",
  8203: "zero-width space",
  65279: "byte-order mark",
};

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return CHAR_NAMES[code]
    ? `${CHAR_NAMES[code]} (${hex})`
    : /\p{C}/u.test(ch)
      ? `control character ${hex}`
      : `${hex} "${ch}"`;
}

/**
 * Release inputs are taken exactly as given: a value with surrounding whitespace or an invisible
 * character is refused, never trimmed (a trailing newline from `$(cat file)` names another tag).
 */
export function checkExact(value: string, flag: string): void {
  const shown = JSON.stringify(value);
  const hidden = /[\p{C}]/u.exec(value);
  if (hidden) {
    throw new UsageError(
      `${flag} ${shown} holds a ${describeChar(hidden[0])} at position ${hidden.index + 1}; inputs are never trimmed`,
      `pass it without the ${describeChar(hidden[0])}`,
    );
  }
  if (value.trim() !== value) {
    throw new UsageError(`${flag} ${shown} has surrounding whitespace; inputs are never trimmed`);
  }
}

export function requireInput(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "") {
    throw new UsageError(
      `missing required input ${flag}`,
      "shipgate never infers release inputs; pass it explicitly",
    );
  }
  checkExact(value, flag);
  return value;
}

/** A tag typed as a flag: printable ASCII only, so a look-alike (Cyrillic "v", U+2024 "․") cannot pass. */
export function checkTagText(value: string, flag: string): void {
  checkExact(value, flag);
  const odd = /[^\x21-\x7e]/u.exec(value);
  if (odd) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} holds ${describeChar(odd[0])} at position ${odd.index + 1}, not plain ASCII (a look-alike?)`,
      "type the tag in plain ASCII, e.g. v1.2.3",
    );
  }
}

export function checkTargetSyntax(target: string, tagPattern: string): void {
  checkTagText(target, "--release-target");
  // The target names a directory of the evidence store: whatever the pattern allows, no path tricks.
  if (/[/\\]/.test(target) || target.includes("..")) {
    throw new UsageError(`--release-target "${target}" cannot name a ledger directory (no slashes or "..")`);
  }
  if (!new RegExp(tagPattern).test(target)) {
    throw new UsageError(
      `--release-target "${target}" does not match the tag pattern ${tagPattern}`,
      "e.g. --release-target v1.2.3",
    );
  }
}

export function checkMode(mode: string): Mode {
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--mode "${mode}" is not one of: ${MODES.join(", ")}`);
  }
  return mode as Mode;
}

export function checkAgent(agent: string): string {
  if (!AGENT_RE.test(agent)) {
    throw new UsageError(
      `--agent ${JSON.stringify(agent)} is not of the form model@host (no spaces or invisible characters)`,
      "e.g. --agent claude@buildbox",
    );
  }
  return agent;
}

/** The version a tag names: the tag without a leading "v". */
export function versionOf(tag: string): string {
  return tag.replace(/^v/, "");
}

type Semver = typeof import("semver");

function comparable(semver: Semver, tag: string): string | null {
  return semver.valid(versionOf(tag)) ?? semver.valid(semver.coerce(tag)) ?? null;
}

/** The `shipgate init` command line for these inputs. */
export function initArgv(c: ReleaseContext): string[] {
  return [
    "shipgate",
    "init",
    "--release-target",
    c.releaseTarget,
    "--base-tag",
    c.baseTag,
    "--mode",
    c.mode,
    "--agent",
    c.agent,
  ];
}

/**
 * `--base-tag none` claims a first release: refused while an older version tag exists, naming the
 * newest one (preferring those HEAD descends from) and the command that uses it.
 */
async function checkFirstRelease(semver: Semver, c: ReleaseContext, tagPattern: string, repoRoot: string) {
  const target = comparable(semver, c.releaseTarget);
  if (!target) return;
  const pattern = new RegExp(tagPattern);
  const older = (await listTags(repoRoot))
    .filter((t) => pattern.test(t) && t !== c.releaseTarget)
    .map((tag) => ({ tag, version: comparable(semver, tag) }))
    .filter((t): t is { tag: string; version: string } => t.version !== null && semver.lt(t.version, target))
    .sort((a, b) => semver.rcompare(a.version, b.version));
  if (older.length === 0) return;
  let newest = older[0] as { tag: string };
  for (const t of older) {
    if (await isAncestor(repoRoot, `refs/tags/${t.tag}`)) {
      newest = t;
      break;
    }
  }
  const others = older.length - 1;
  const fix = initArgv({ ...c, baseTag: newest.tag });
  throw new UsageError(
    `--base-tag none claims a first release, but version tag ${newest.tag}${others > 0 ? ` (and ${others} other older one${others > 1 ? "s" : ""})` : ""} exists`,
    `use the previous release as the base: ${fix.join(" ")}`,
    fix,
  );
}

/** Validates all four inputs against the config and the repository at `repoRoot`. */
export async function validateInputs(
  raw: RawInputs,
  tagPattern: string,
  repoRoot: string,
): Promise<ReleaseContext> {
  const releaseTarget = requireInput(raw.releaseTarget, "--release-target");
  const baseTag = requireInput(raw.baseTag, "--base-tag");
  const mode = checkMode(requireInput(raw.mode, "--mode"));
  const agent = checkAgent(requireInput(raw.agent, "--agent"));
  checkTargetSyntax(releaseTarget, tagPattern);
  const context = { releaseTarget, baseTag, mode, agent };
  // Loaded here: only `init` orders versions, and every command imports this module.
  const { default: semver } = await import("semver");

  if (baseTag === NO_BASE_TAG) {
    await checkFirstRelease(semver, context, tagPattern, repoRoot);
    return context;
  }
  checkTagText(baseTag, "--base-tag");
  if (!new RegExp(tagPattern).test(baseTag)) {
    throw new UsageError(
      `--base-tag "${baseTag}" does not match the tag pattern ${tagPattern} (use "none" for a first release)`,
    );
  }
  if (baseTag === releaseTarget) throw new UsageError(`--base-tag and --release-target are both ${baseTag}`);
  const ancestry = await tagAncestry(repoRoot, baseTag);
  if (ancestry === "missing") {
    throw new UsageError(
      `--base-tag ${baseTag} is not a tag in this repository`,
      "run `git fetch --tags` or check the spelling",
    );
  }
  if (ancestry === "not-ancestor") {
    throw new UsageError(`--base-tag ${baseTag} is not an ancestor of HEAD`);
  }
  const base = comparable(semver, baseTag);
  const target = comparable(semver, releaseTarget);
  if (!base || !target) {
    throw new UsageError(`cannot order ${baseTag} and ${releaseTarget} as versions`);
  }
  if (!semver.lt(base, target)) {
    throw new UsageError(`--base-tag ${baseTag} is not older than --release-target ${releaseTarget}`);
  }
  return context;
}

/** Where the target's tag already is: `origin` is "unreachable" when it could not be asked. */
export interface TagCheck {
  local: "absent" | "at-head";
  origin: "absent" | "at-head" | "unreachable" | "no-origin";
  note?: string;
}

// Long enough for a real remote, short enough that `init` against a dead network still answers.
const ORIGIN_TIMEOUT_MS = 10_000;

/**
 * A release is never re-tagged: `init` refuses a target whose tag already names another commit than
 * HEAD, here or on origin. An origin that cannot be reached is reported, not refused (`tag` checks again).
 */
export async function checkTargetTag(c: ReleaseContext, repoRoot: string, head: string): Promise<TagCheck> {
  const { default: semver } = await import("semver");
  const refuse = (where: string, sha: string): never => {
    const next = semver.inc(versionOf(c.releaseTarget), "patch");
    const nextTag = next && c.releaseTarget.startsWith("v") ? `v${next}` : next;
    const fix = nextTag ? initArgv({ ...c, releaseTarget: nextTag, baseTag: c.releaseTarget }) : undefined;
    throw new UsageError(
      `tag ${c.releaseTarget} already exists ${where} at ${sha.slice(0, 12)}, not at HEAD (${head.slice(0, 12)}): a release is never re-tagged`,
      fix ? `release the next version instead: ${fix.join(" ")}` : "release a new version instead",
      fix,
    );
  };
  const local = await tagCommit(repoRoot, c.releaseTarget);
  if (local && local !== head) refuse("in this repository", local);
  const check: TagCheck = { local: local ? "at-head" : "absent", origin: "no-origin" };
  if (!(await remoteUrl(repoRoot, "origin"))) return check;
  try {
    const remote = await remoteTag(repoRoot, "origin", c.releaseTarget, ORIGIN_TIMEOUT_MS);
    if (remote && remote.commit !== head) refuse("on origin", remote.commit);
    check.origin = remote ? "at-head" : "absent";
  } catch (err) {
    if (!(err instanceof IncompleteError)) throw err;
    check.origin = "unreachable";
    check.note = `origin could not be asked whether ${c.releaseTarget} exists there (${err.message}); \`shipgate tag\` checks again before pushing`;
  }
  return check;
}
