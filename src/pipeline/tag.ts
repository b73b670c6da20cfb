// Mechanics step "tag": an annotated release tag at HEAD, pushed to the remote. Refuses while the release
// guard finds anything (open blockers, gates not passed for this commit), never moves or re-creates a tag,
// and resumes a half-done step (tag created, push lost) from what git itself says.
import path from "node:path";
import { execa } from "execa";
import type { ShipgateConfig } from "../config/schema.js";
import {
  git,
  headSha,
  isAnnotatedTag,
  remoteTag,
  remoteUrl,
  tagCommit,
  workingTreeState,
} from "../context/git.js";
import { IncompleteError, UsageError } from "../errors.js";
import { type LedgerWriter, nowIso } from "../evidence/ledger.js";
import { redact } from "../evidence/redact.js";
import { advancePhase } from "../evidence/schema.js";
import type { Tracker } from "../trackers/types.js";
import { type GuardProblem, releaseProblems } from "./release-guard.js";

export const PUSH_TIMEOUT_MS = 120_000;

export interface TagProblem {
  kind: GuardProblem["kind"] | "tree" | "tag";
  id: string;
  detail: string;
}

export interface TagOutcome {
  tag: string;
  sha: string;
  remote: string;
  dryRun: boolean;
  /** Non-empty: the step was refused and nothing was changed. */
  problems: TagProblem[];
  /** What the step does (live) or would do (dry run): "create", "push"; empty when already done. */
  actions: ("create" | "push")[];
}

export interface TagOptions {
  config: ShipgateConfig;
  repoRoot: string;
  writer: LedgerWriter;
  remote: string;
  tracker?: Tracker;
}

const short = (sha: string) => sha.slice(0, 12);

export async function tagStep(options: TagOptions): Promise<TagOutcome> {
  const { config, repoRoot, writer, remote } = options;
  const release = writer.ledger.context;
  const tag = release.releaseTarget;
  const dryRun = release.mode === "dry-run";
  if (!(await remoteUrl(repoRoot, remote))) {
    throw new UsageError(`there is no git remote named "${remote}"`, "name the remote with --remote <name>");
  }
  const sha = await headSha(repoRoot);
  const outcome: TagOutcome = { tag, sha, remote, dryRun, problems: [], actions: [] };

  // The epic is asked first: an open blocker refuses the step whatever else holds.
  outcome.problems.push(
    ...(await releaseProblems({
      config,
      repoRoot,
      paths: writer.paths,
      ledger: writer.ledger,
      tracker: options.tracker,
    })),
  );
  const tree = await workingTreeState(repoRoot, [path.relative(repoRoot, writer.paths.evidenceDir)]);
  if (!tree.clean) {
    outcome.problems.push({
      kind: "tree",
      id: "working-tree",
      detail: `uncommitted changes: ${tree.entries.slice(0, 5).join(", ")}${tree.entries.length > 5 ? ", …" : ""}`,
    });
  }

  const local = await tagCommit(repoRoot, tag);
  if (local && local !== sha) {
    outcome.problems.push({
      kind: "tag",
      id: tag,
      detail: `local tag ${tag} already points at ${short(local)}, HEAD is ${short(sha)}: a release is never re-tagged`,
    });
  } else if (local && !(await isAnnotatedTag(repoRoot, tag))) {
    outcome.problems.push({
      kind: "tag",
      id: tag,
      detail: `local tag ${tag} is a lightweight tag; a release tag is annotated (delete it and rerun)`,
    });
  }
  const onRemote = await remoteTag(repoRoot, remote, tag);
  if (onRemote && onRemote.commit !== sha) {
    outcome.problems.push({
      kind: "tag",
      id: tag,
      detail: `${remote} already has ${tag} at ${short(onRemote.commit)}, HEAD is ${short(sha)}: a release is never re-tagged`,
    });
  }

  if (outcome.problems.length > 0) {
    writer.update("tag-refused", { tag, sha, problems: outcome.problems });
    return outcome;
  }
  if (!local) outcome.actions.push("create");
  if (!onRemote) outcome.actions.push("push");

  if (dryRun) {
    writer.update("tag-planned", { tag, sha, remote, actions: outcome.actions }, (ledger) => {
      ledger.mechanics.tag = {
        tag,
        sha,
        remote,
        dryRun: true,
        plannedAt: nowIso(),
        actions: outcome.actions,
      };
    });
    return outcome;
  }

  if (!local) {
    await git(repoRoot, ["tag", "-a", tag, "-m", `Release ${tag}`, sha]);
    writer.update("tag-created", { tag, sha }, (ledger) => {
      ledger.mechanics.tag = { tag, sha, remote, dryRun: false, createdAt: nowIso(), pushed: false };
    });
  }
  if (!onRemote) await pushTag(repoRoot, remote, tag);
  // What the remote serves is the fact recorded, not what the push claimed.
  const confirmed = await remoteTag(repoRoot, remote, tag);
  if (!confirmed || confirmed.commit !== sha) {
    throw new IncompleteError(`pushed ${tag}, but ${remote} does not serve it at ${short(sha)}`);
  }
  writer.update(onRemote ? "tag-verified" : "tag-pushed", { tag, sha, remote }, (ledger) => {
    ledger.mechanics.tag = {
      ...ledger.mechanics.tag,
      tag,
      sha,
      remote,
      dryRun: false,
      pushed: true,
      verifiedAt: nowIso(),
    };
    advancePhase(ledger.checkpoint, "tagged");
    ledger.checkpoint.sha = sha;
    ledger.checkpoint.remoteTag = "present";
  });
  return outcome;
}

async function pushTag(repoRoot: string, remote: string, tag: string): Promise<void> {
  const result = await execa("git", ["push", "--quiet", remote, `refs/tags/${tag}:refs/tags/${tag}`], {
    cwd: repoRoot,
    reject: false,
    timeout: PUSH_TIMEOUT_MS,
    env: { GIT_TERMINAL_PROMPT: "0" },
  });
  if (result.failed) {
    const why = result.timedOut
      ? `no answer within ${PUSH_TIMEOUT_MS / 1000}s`
      : String(result.stderr).trim() || String(result.message);
    throw new IncompleteError(
      `could not push ${tag} to ${remote}: ${redact(why)}`,
      "the local tag is kept; rerun shipgate tag once the remote is reachable",
    );
  }
}
