// Facts the GitHub release steps share: the release commit (what the tag step recorded, else the local
// tag), the GitHub client for the project, poll settings with one deadline, and run-time formatting.
import type { ShipgateConfig } from "../config/schema.js";
import { tagCommit } from "../context/git.js";
import { type GitHubTarget, githubFor } from "../github/client.js";
import type { PollOptions } from "../github/watch.js";
import type { StepContext } from "./step.js";
import type { TagRecord } from "./steps/tag.js";

export interface ReleaseCommit {
  tag: string;
  sha: string;
  /** The git remote the tag was (or would be) pushed to. */
  remote: string;
  /** ledger: the tag step's record; local-tag: only a local tag says so. */
  source: "ledger" | "local-tag";
  /** The tag step pushed it (live) — false for a dry run's planned tag. */
  pushed: boolean;
}

/** The release tag's commit, or null when neither the ledger nor a local tag names one. */
export async function releaseCommit(ctx: StepContext<unknown>): Promise<ReleaseCommit | null> {
  const tag = ctx.release.releaseTarget;
  const record = ctx.records.tag as TagRecord | undefined;
  if (record) {
    return {
      tag,
      sha: record.sha,
      remote: record.remote,
      source: "ledger",
      pushed: !record.dryRun && record.pushed === true,
    };
  }
  const sha = await tagCommit(ctx.repoRoot, tag);
  return sha ? { tag, sha, remote: "origin", source: "local-tag", pushed: false } : null;
}

export function targetArgs(ctx: { release: { releaseTarget: string } }): string[] {
  return ["--release-target", ctx.release.releaseTarget];
}

/** The problem that sends a step back to `shipgate tag`. */
export function noTagProblem(ctx: StepContext<unknown>) {
  return {
    kind: "tag",
    id: ctx.release.releaseTarget,
    detail: `no release tag ${ctx.release.releaseTarget} yet: the tag step comes first`,
    fix: ["shipgate", "tag", ...targetArgs(ctx)],
  };
}

export function githubOf(config: ShipgateConfig, repoRoot: string): Promise<GitHubTarget> {
  return githubFor(config.github, repoRoot);
}

/** Poll settings from github.* with a deadline `timeoutMs` from now. */
export function pollFor(ctx: StepContext<unknown>, timeoutMs: number): PollOptions {
  return {
    deadline: Date.now() + timeoutMs,
    intervalMs: ctx.config.github.pollInterval,
    maxIntervalMs: Math.max(ctx.config.github.pollMaxInterval, ctx.config.github.pollInterval),
    signal: ctx.signal,
    progress: (text, key) => ctx.progress(text, key),
  };
}

/** 2700000 → "45m", 90000 → "1m30s", 500 → "0.5s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms / 1000}s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h}h` : "", m ? `${m}m` : "", rest || (!h && !m) ? `${rest}s` : ""].join("");
}

export const nowIso = () => new Date().toISOString();
export const short = (sha: string) => sha.slice(0, 12);
