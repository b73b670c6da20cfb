// The four release inputs and their validation. Nothing here is ever inferred from tags or files.
import { UsageError } from "../errors.js";
import { isAncestor, tagExists } from "./git.js";

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

const AGENT_RE = /^[^\s@]+@[^\s@]+$/;

export function requireInput(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "") {
    throw new UsageError(
      `missing required input ${flag}`,
      "shipgate never infers release inputs; pass it explicitly",
    );
  }
  return value.trim();
}

export function checkTargetSyntax(target: string, tagPattern: string): void {
  // The target names a directory of the evidence store: whatever the pattern allows, no path tricks.
  if (/[/\\]/.test(target) || target.includes("..") || target.trim() !== target) {
    throw new UsageError(
      `--release-target "${target}" cannot name a ledger directory (no slashes, "..", or surrounding spaces)`,
    );
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
    throw new UsageError(`--agent "${agent}" is not of the form model@host`, "e.g. --agent claude@buildbox");
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

  if (baseTag !== NO_BASE_TAG) {
    if (!new RegExp(tagPattern).test(baseTag)) {
      throw new UsageError(
        `--base-tag "${baseTag}" does not match the tag pattern ${tagPattern} (use "none" for a first release)`,
      );
    }
    if (baseTag === releaseTarget)
      throw new UsageError(`--base-tag and --release-target are both ${baseTag}`);
    if (!(await tagExists(repoRoot, baseTag))) {
      throw new UsageError(
        `--base-tag ${baseTag} is not a tag in this repository`,
        "run `git fetch --tags` or check the spelling",
      );
    }
    if (!(await isAncestor(repoRoot, `refs/tags/${baseTag}`))) {
      throw new UsageError(`--base-tag ${baseTag} is not an ancestor of HEAD`);
    }
    // Loaded here: only `init` orders versions, and every command imports this module.
    const { default: semver } = await import("semver");
    const base = comparable(semver, baseTag);
    const target = comparable(semver, releaseTarget);
    if (!base || !target) {
      throw new UsageError(`cannot order ${baseTag} and ${releaseTarget} as versions`);
    }
    if (!semver.lt(base, target)) {
      throw new UsageError(`--base-tag ${baseTag} is not older than --release-target ${releaseTarget}`);
    }
  }
  return { releaseTarget, baseTag, mode, agent };
}
