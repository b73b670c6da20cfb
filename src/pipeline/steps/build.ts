// Release step "build": the build workflow's run for the release tag (push event, head = the tag's
// commit) is found, waited on with backoff up to the timeout, and must conclude success. It only reads
// GitHub, so it runs in a dry run too (where the unpushed tag has no run yet). A failed, cancelled or
// timed-out run exits 1 with one blocker naming its failed jobs, URL, failing step and log tail.
import * as z from "zod";
import { remoteTag } from "../../context/git.js";
import { IncompleteError } from "../../errors.js";
import {
  describeQuery,
  failedRunBlockerFields,
  failedRunRecordFields,
  getRun,
  listRuns,
  runFailure,
  type WorkflowRun,
} from "../../github/runs.js";
import { pollForRun, watchRun } from "../../github/watch.js";
import {
  formatDuration,
  githubOf,
  noTagProblem,
  nowIso,
  pollFor,
  releaseCommit,
  short,
  targetArgs,
} from "../release-facts.js";
import { defineStep, type StepProblem } from "../step.js";

/** Lines of each failed job's log kept for the blocker. */
export const LOG_TAIL_LINES = 20;

export const buildRecordSchema = z.strictObject({
  tag: z.string(),
  sha: z.string(),
  workflow: z.string(),
  dryRun: z.boolean(),
  runId: z.string().optional(),
  runUrl: z.string().optional(),
  status: z.string().nullable().optional(),
  conclusion: z.string().nullable().optional(),
  timedOut: z.boolean().optional(),
  failedJobs: z.array(z.string()).optional(),
  failingStep: z.string().optional(),
  blockerId: z.string().optional(),
  /** Why a dry run has no run to watch. */
  note: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  verifiedAt: z.string().optional(),
});
export type BuildRecord = z.infer<typeof buildRecordSchema>;

export interface BuildInput {
  /** How long to wait for the run to appear and complete (default github.buildTimeout). */
  waitMs?: number | undefined;
}

export interface BuildFacts {
  tag: string;
  sha: string;
  workflow: string;
  remote: string;
  /** The tag is on the remote at `sha` (a dry run's planned tag is not). */
  tagOnRemote: boolean;
  waitMs: number;
  searched: string;
}

export const buildStep = defineStep<BuildInput, BuildFacts, BuildRecord, "build">({
  name: "build",
  phase: "built",
  record: buildRecordSchema,
  describe: (r) => ({
    state: r.runId
      ? r.timedOut
        ? "timed out"
        : (r.conclusion ?? r.status ?? "waiting")
      : "no run (dry-run)",
    detail: r.runId
      ? `${r.workflow} run ${r.runId} for ${r.tag} at ${short(r.sha)} ${r.runUrl ?? ""}`.trim()
      : `${r.tag} at ${short(r.sha)}: ${r.note ?? "no build run"}`,
  }),
  succeeded: (r) => r.runId !== undefined && r.conclusion === "success",

  async plan(ctx, input) {
    const release = await releaseCommit(ctx);
    const workflow = ctx.config.github.buildWorkflow;
    const waitMs = input.waitMs ?? ctx.config.github.buildTimeout;
    if (!release) {
      return {
        problems: [noTagProblem(ctx)],
        actions: [],
        facts: {
          tag: ctx.release.releaseTarget,
          sha: "",
          workflow,
          remote: "origin",
          tagOnRemote: false,
          waitMs,
          searched: "",
        },
      };
    }
    const { tag, sha, remote } = release;
    const problems: StepProblem[] = [];
    const onRemote = await remoteTag(ctx.repoRoot, remote, tag);
    if (onRemote && onRemote.commit !== sha) {
      problems.push({
        kind: "tag",
        id: tag,
        detail: `${remote} has ${tag} at ${short(onRemote.commit)}, the ledger's tag is at ${short(sha)}`,
      });
    } else if (!onRemote && !ctx.dryRun) {
      problems.push({
        kind: "tag",
        id: tag,
        detail: `${tag} is not on ${remote}, so no build can have started: push it first`,
        fix: ["shipgate", "tag", ...targetArgs(ctx)],
      });
    }
    const searched = `${describeQuery(workflow, { event: "push", head_sha: sha })} and head branch ${tag}`;
    return {
      problems,
      actions: [
        {
          id: "wait",
          todo: `wait up to ${formatDuration(waitMs)} for the ${workflow} run of ${tag} at ${short(sha)} to succeed`,
          done: `watched the ${workflow} run of ${tag} at ${short(sha)}`,
        },
      ],
      facts: { tag, sha, workflow, remote, tagOnRemote: Boolean(onRemote), waitMs, searched },
    };
  },

  // Watching a run changes nothing remote.
  appliesInDryRun: () => true,
  planned: (plan) => ({
    tag: plan.facts.tag,
    sha: plan.facts.sha,
    workflow: plan.facts.workflow,
    dryRun: true,
    note: "planned",
  }),

  async apply(ctx, plan) {
    const { tag, sha, workflow, waitMs, searched } = plan.facts;
    const gh = await githubOf(ctx.config, ctx.repoRoot);
    const base = { tag, sha, workflow, dryRun: ctx.dryRun };
    const find = async (): Promise<WorkflowRun | null> => {
      const runs = await listRuns(gh, workflow, { event: "push", head_sha: sha });
      return runs.find((r) => r.head_branch === tag) ?? null;
    };
    const poll = pollFor(ctx, waitMs);
    // A dry run's tag was never pushed: one look (a build may exist from an earlier push), no waiting.
    const run = !plan.facts.tagOnRemote ? await find() : await pollForRun(find, searched, poll);
    if (!run) {
      if (!plan.facts.tagOnRemote)
        return {
          record: {
            ...base,
            note: `${tag} is not pushed in a dry run, so no ${workflow} run exists for it yet (searched ${searched})`,
          },
        };
      throw new IncompleteError(
        `no ${workflow} run for ${tag} appeared within ${formatDuration(waitMs)}: searched ${searched}`,
        `check that pushing ${tag} triggers ${workflow} (on.push.tags), then rerun shipgate build`,
      );
    }
    const runId = String(run.id);
    const startedAt = nowIso();
    ctx.save(
      { ...base, runId, runUrl: run.html_url, status: run.status, startedAt },
      {
        lastRunId: runId,
        lastRunUrl: run.html_url,
      },
    );
    const watched = await watchRun(gh, run.id, poll);
    const final = watched.run;
    const record: BuildRecord = {
      ...base,
      runId,
      runUrl: final.html_url,
      status: final.status,
      conclusion: final.conclusion,
      startedAt,
      finishedAt: nowIso(),
    };
    const checkpoint = { lastRunId: runId, lastRunUrl: final.html_url };
    if (!watched.timedOut && final.conclusion === "success") return { record, checkpoint };

    const outcome = watched.timedOut
      ? `did not complete within ${formatDuration(waitMs)} (still ${final.status})`
      : `concluded ${final.conclusion ?? "without a conclusion"}`;
    const failure = await runFailure(gh, watched.jobs, LOG_TAIL_LINES);
    const filed = await ctx.fileBlocker({
      check: "build",
      title: `${workflow} run ${runId} for ${tag} ${watched.timedOut ? "timed out" : (final.conclusion ?? "failed")}`,
      summary: `The ${workflow} build run ${runId} for ${tag} (${short(sha)}) ${outcome}.${failure.failedJobs.length ? ` Failed jobs: ${failure.failedJobs.join(", ")}.` : ""} Fix the cause, rerun the failed jobs (gh run rerun ${runId} --failed), then rerun shipgate build.`,
      rerunCommand: `shipgate build --release-target ${tag}`,
      ...failedRunBlockerFields(runId, final.html_url, failure),
    });
    return {
      record: { ...record, ...failedRunRecordFields(failure, watched.timedOut, filed) },
      checkpoint,
      problems: [
        {
          kind: "run",
          id: runId,
          detail: `${workflow} run ${runId} ${outcome}${failure.failedJobs.length ? `; failed jobs: ${failure.failedJobs.join(", ")}` : ""} (${final.html_url}); blocker ${filed.dryRun ? "recorded as would-file (dry run)" : filed.id}`,
          fix: ["gh", "run", "rerun", runId, "--failed", "--repo", `${gh.owner}/${gh.repo}`],
        },
      ],
    };
  },

  async verify(ctx, record) {
    if (!record.runId) return [];
    const run = await getRun(await githubOf(ctx.config, ctx.repoRoot), record.runId);
    if (run.status === "completed" && run.conclusion === "success") return [];
    return [
      {
        kind: "run",
        id: record.runId,
        detail: `run ${record.runId} is now ${run.status}${run.conclusion ? `/${run.conclusion}` : ""} (it was re-run?), the ledger recorded success`,
      },
    ];
  },
});
