// Release step "tag": an annotated release tag at HEAD, pushed to the remote. Refused while the release
// guard finds anything (open blockers, gates not passed for this commit), on a dirty tree, or when the
// tag already names another commit: a release is never re-tagged. A half-done step (tag created, push
// lost) resumes from what git itself says.
import path from "node:path";
import * as z from "zod";
import {
  git,
  headSha,
  isAnnotatedTag,
  remoteTag,
  remoteUrl,
  tagCommit,
  workingTreeState,
} from "../../context/git.js";
import { allInOrder, IncompleteError, UsageError } from "../../errors.js";
import { redact } from "../../evidence/redact.js";
import { defineStep, type StepAction, type StepProblem } from "../step.js";

export const PUSH_TIMEOUT_MS = 120_000;

/** Planned (dry run), created locally, then pushed once the remote serves it. */
export const tagRecordSchema = z.strictObject({
  tag: z.string(),
  sha: z.string(),
  remote: z.string(),
  dryRun: z.boolean(),
  actions: z.array(z.enum(["create", "push"])).optional(),
  plannedAt: z.string().optional(),
  createdAt: z.string().optional(),
  pushed: z.boolean().optional(),
  verifiedAt: z.string().optional(),
});
export type TagRecord = z.infer<typeof tagRecordSchema>;

export interface TagInput {
  /** The git remote to push to (default origin). */
  remote: string;
}

export interface TagFacts {
  tag: string;
  sha: string;
  remote: string;
  dryRun: boolean;
  /** The tag exists locally at HEAD / on the remote at HEAD already. */
  local: boolean;
  onRemote: boolean;
}

const short = (sha: string) => sha.slice(0, 12);
const now = () => new Date().toISOString();

export const tagStep = defineStep<TagInput, TagFacts, TagRecord, "tag">({
  name: "tag",
  phase: "tagged",
  record: tagRecordSchema,
  describe: (r) => ({
    state: r.dryRun ? "planned (dry-run)" : r.pushed ? "pushed" : "created, not pushed",
    detail: `${r.tag} at ${short(r.sha)} on ${r.remote}`,
  }),
  succeeded: (r) => !r.dryRun && r.pushed === true,
  runInput: () => ({ remote: "origin" }),

  async plan(ctx, { remote }) {
    const { repoRoot } = ctx;
    const tag = ctx.release.releaseTarget;
    if (!(await remoteUrl(repoRoot, remote))) {
      throw new UsageError(
        `there is no git remote named "${remote}"`,
        "name the remote with --remote <name>",
      );
    }
    // Independent reads (HEAD, the release guard, the tree, the local and the remote tag), asked at once.
    const [sha, guarded, tree, local, onRemote] = await allInOrder([
      headSha(repoRoot),
      ctx.guard(),
      workingTreeState(repoRoot, [path.relative(repoRoot, ctx.paths.evidenceDir)]),
      tagCommit(repoRoot, tag),
      remoteTag(repoRoot, remote, tag),
    ]);
    // The epic's problems come first: an open blocker refuses the step whatever else holds.
    const problems: StepProblem[] = [...guarded];
    if (!tree.clean) {
      problems.push({
        kind: "tree",
        id: "working-tree",
        detail: `uncommitted changes: ${tree.entries.slice(0, 5).join(", ")}${tree.entries.length > 5 ? ", …" : ""}`,
        fix: ["git", "status"],
      });
    }
    if (local && local !== sha) {
      problems.push({
        kind: "tag",
        id: tag,
        detail: `local tag ${tag} already points at ${short(local)}, HEAD is ${short(sha)}: a release is never re-tagged`,
      });
    } else if (local && !(await isAnnotatedTag(repoRoot, tag))) {
      problems.push({
        kind: "tag",
        id: tag,
        detail: `local tag ${tag} is a lightweight tag; a release tag is annotated (delete it and rerun)`,
        fix: ["git", "tag", "-d", tag],
      });
    }
    if (onRemote && onRemote.commit !== sha) {
      problems.push({
        kind: "tag",
        id: tag,
        detail: `${remote} already has ${tag} at ${short(onRemote.commit)}, HEAD is ${short(sha)}: a release is never re-tagged`,
      });
    }
    const at = `${tag} at ${short(sha)}`;
    const actions: StepAction[] = [];
    if (!local)
      actions.push({ id: "create", todo: `create annotated tag ${at}`, done: `created annotated tag ${at}` });
    if (!onRemote)
      actions.push({ id: "push", todo: `push ${tag} to ${remote}`, done: `pushed ${tag} to ${remote}` });
    return {
      problems,
      actions,
      facts: { tag, sha, remote, dryRun: ctx.dryRun, local: Boolean(local), onRemote: Boolean(onRemote) },
    };
  },

  planned: (plan) => ({
    tag: plan.facts.tag,
    sha: plan.facts.sha,
    remote: plan.facts.remote,
    dryRun: true,
    plannedAt: now(),
    actions: plan.actions.map((a) => a.id as "create" | "push"),
  }),

  async apply(ctx, plan) {
    const { tag, sha, remote } = plan.facts;
    const ids = plan.actions.map((a) => a.id);
    const base = { tag, sha, remote, dryRun: false };
    if (ids.includes("create")) {
      await git(ctx.repoRoot, ["tag", "-a", tag, "-m", `Release ${tag}`, sha]);
      ctx.save({ ...base, createdAt: now(), pushed: false });
    }
    if (ids.includes("push")) await pushTag(ctx.repoRoot, remote, tag);
    // What the remote serves is the fact recorded, not what the push claimed.
    const confirmed = await remoteTag(ctx.repoRoot, remote, tag);
    if (!confirmed || confirmed.commit !== sha) {
      throw new IncompleteError(`pushed ${tag}, but ${remote} does not serve it at ${short(sha)}`);
    }
    const previous = ctx.records.tag as TagRecord | undefined;
    return {
      record: {
        ...(previous && !previous.dryRun ? previous : {}),
        ...base,
        pushed: true,
        verifiedAt: now(),
      },
      checkpoint: { sha, remoteTag: "present" },
    };
  },

  async verify(ctx, record) {
    const onRemote = await remoteTag(ctx.repoRoot, record.remote, record.tag);
    if (!onRemote)
      return [{ kind: "tag", id: record.tag, detail: `${record.remote} no longer has ${record.tag}` }];
    if (onRemote.commit !== record.sha)
      return [
        {
          kind: "tag",
          id: record.tag,
          detail: `${record.remote} has ${record.tag} at ${short(onRemote.commit)}, the ledger recorded ${short(record.sha)}`,
        },
      ];
    return [];
  },
});

async function pushTag(repoRoot: string, remote: string, tag: string): Promise<void> {
  // Loaded on first use: only a live push pays for execa's import.
  const { execa } = await import("execa");
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
