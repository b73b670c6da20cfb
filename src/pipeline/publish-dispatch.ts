// The two dispatches of the publish workflow — a rehearsal and the live publish — as one step shape:
// resolve the build run, verify its provenance first, (live publish only) apply the rehearsal policy and
// check the release guard, publish-preflight, the remote tag and the Homebrew tap, then dispatch, find
// the run that dispatch started, wait, require success. A failed run files one blocker with its remedy.
import * as z from "zod";
import { remoteTag } from "../context/git.js";
import { allInOrder, errorMessage, IncompleteError, UsageError } from "../errors.js";
import type { GitHubTarget } from "../github/client.js";
import {
  DispatchRefusedError,
  describeMatch,
  dispatchRunsBefore,
  dispatchWorkflow,
  findDispatchedRun,
} from "../github/dispatch.js";
import { type ProvenanceReport, verifyProvenance } from "../github/provenance.js";
import { defaultBranch } from "../github/repo.js";
import {
  failedRunBlockerFields,
  failedRunRecordFields,
  getRun,
  listRuns,
  runFailure,
  type WorkflowRun,
} from "../github/runs.js";
import { watchRun } from "../github/watch.js";
import { preflightProblems, publishPreflight } from "./preflight.js";
import { rehearsalPolicy } from "./rehearsal-policy.js";
import {
  formatDuration,
  githubOf,
  noTagProblem,
  nowIso,
  pollFor,
  releaseCommit,
  short,
  targetArgs,
} from "./release-facts.js";
import { remediesFor } from "./remedies.js";
import { defineStep, type Step, type StepAction, type StepContext, type StepProblem } from "./step.js";
import { type BuildRecord, LOG_TAIL_LINES } from "./steps/build.js";
import { checkTap } from "./tap-check.js";

export interface PublishInput {
  /** The build run to publish (default: the build step's, else the tag's newest successful run). */
  buildRunId?: number | undefined;
  /** Channels (`github.dispatchInputs.skip` names) not to publish; needs allowPartialRelease. */
  skip: string[];
  allowPartialRelease: boolean;
  /** Registry credentials changed since the last release: a live publish needs a rehearsal first. */
  credentialsRotated: boolean;
  /** How long to wait for the run (default github.publishTimeout). */
  waitMs?: number | undefined;
}

export const dispatchRecordSchema = z.strictObject({
  rehearsal: z.boolean(),
  /** The ledger's mode (a rehearsal dispatches in a dry run too). */
  dryRun: z.boolean(),
  tag: z.string(),
  sha: z.string(),
  buildRunId: z.string(),
  workflow: z.string(),
  ref: z.string(),
  inputs: z.record(z.string(), z.string()),
  skip: z.array(z.string()).default([]),
  allowPartialRelease: z.boolean().default(false),
  /** The rehearsal policy's decision (live publish). */
  policy: z
    .strictObject({ required: z.boolean(), reason: z.string(), satisfiedBy: z.string().optional() })
    .optional(),
  /** The tap-alignment check before a live publish. */
  homebrew: z.strictObject({ status: z.enum(["verified", "skipped"]), detail: z.string() }).optional(),
  plannedAt: z.string().optional(),
  dispatchedAt: z.string().optional(),
  runId: z.string().optional(),
  runUrl: z.string().optional(),
  status: z.string().nullable().optional(),
  conclusion: z.string().nullable().optional(),
  timedOut: z.boolean().optional(),
  failedJobs: z.array(z.string()).optional(),
  failingStep: z.string().optional(),
  remedies: z.array(z.string()).optional(),
  blockerId: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type DispatchRecord = z.infer<typeof dispatchRecordSchema>;

export interface DispatchFacts {
  tag: string;
  sha: string;
  buildRunId: string;
  /** Where the build run id came from. */
  buildRunFrom: "flag" | "ledger" | "search" | "none";
  workflow: string;
  ref: string;
  /** The commit the dispatched run must be on, when the ref is the tag. */
  refSha?: string;
  inputs: Record<string, string>;
  skip: string[];
  allowPartialRelease: boolean;
  waitMs: number;
  provenance?: ProvenanceReport;
  policy?: { required: boolean; reason: string; satisfiedBy?: string };
  homebrew?: { status: "verified" | "skipped"; detail: string };
  /** An earlier dispatch of this step whose run has not concluded: found and waited on, not repeated. */
  resume?: { dispatchedAt: string; runId?: string };
}

/** `--skip` names must be configured channels, and skipping any needs --allow-partial-release. */
export function checkSkip(skip: string[], allowPartialRelease: boolean, channels: readonly string[]): void {
  const unknown = skip.filter((s) => !channels.includes(s));
  if (unknown.length > 0)
    throw new UsageError(
      `--skip names no channel of the publish workflow: ${unknown.join(", ")}`,
      `known: ${channels.join(", ")} (github.dispatchInputs.skip)`,
    );
  if (skip.length > 0 && !allowPartialRelease)
    throw new UsageError(
      `skipping ${skip.join(", ")} publishes a partial release`,
      "add --allow-partial-release to mean it",
    );
}

function composeInputs(
  ctx: StepContext<DispatchRecord>,
  buildRunId: string,
  rehearsal: boolean,
  input: PublishInput,
): Record<string, string> {
  const names = ctx.config.github.dispatchInputs;
  const inputs: Record<string, string> = {
    [names.buildRunId]: buildRunId,
    [names.rehearsal]: String(rehearsal),
    [names.allowPartialRelease]: String(input.allowPartialRelease),
  };
  for (const [channel, name] of Object.entries(names.skip))
    inputs[name] = String(input.skip.includes(channel));
  return inputs;
}

async function resolveBuildRun(
  ctx: StepContext<DispatchRecord>,
  gh: GitHubTarget,
  input: PublishInput,
  tag: string,
  sha: string,
): Promise<{ id: string; from: DispatchFacts["buildRunFrom"] }> {
  if (input.buildRunId !== undefined) return { id: String(input.buildRunId), from: "flag" };
  const build = ctx.records.build as BuildRecord | undefined;
  if (build?.runId && build.conclusion === "success") return { id: build.runId, from: "ledger" };
  const runs = await listRuns(gh, ctx.config.github.buildWorkflow, {
    event: "push",
    head_sha: sha,
    status: "success",
  });
  const run = runs.find((r) => r.head_branch === tag);
  return run ? { id: String(run.id), from: "search" } : { id: "", from: "none" };
}

/** One pre-dispatch check's problems; an unanswerable check is `undecided` instead of ending the plan. */
interface Collected {
  problems: StepProblem[];
  undecided?: string;
}

async function collect(what: string, check: () => Promise<StepProblem[]>): Promise<Collected> {
  try {
    return { problems: await check() };
  } catch (err) {
    if (!(err instanceof IncompleteError)) throw err;
    return { problems: [], undecided: `${what}: ${errorMessage(err)}` };
  }
}

function describeInputs(inputs: Record<string, string>): string {
  return Object.entries(inputs)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

export function dispatchStep<K extends "rehearsal" | "publish">(
  kind: K,
): Step<PublishInput, DispatchFacts, DispatchRecord, K> {
  const rehearsal = kind === "rehearsal";
  const command = rehearsal ? ["publish", "--rehearsal"] : ["publish"];
  const label = rehearsal ? "rehearsal" : "live publish";

  const step: Step<PublishInput, DispatchFacts, DispatchRecord, K> = defineStep({
    name: kind,
    command,
    phase: rehearsal ? "rehearsed" : "published",
    record: dispatchRecordSchema,
    describe: (r) => ({
      state:
        r.plannedAt && !r.dispatchedAt
          ? "planned (dry-run)"
          : r.timedOut
            ? "timed out"
            : (r.conclusion ?? r.status ?? "dispatched"),
      detail:
        `${r.workflow} ${label} of build run ${r.buildRunId}${r.runId ? `: run ${r.runId} ${r.runUrl ?? ""}` : ""}`.trim(),
    }),
    succeeded: (r) => r.conclusion === "success" && r.runId !== undefined && (rehearsal || !r.dryRun),
    runInput: (): PublishInput => ({ skip: [], allowPartialRelease: false, credentialsRotated: false }),
    // `shipgate run` rehearses in every dry run (the one thing a dry run can really try), and in a live
    // release when the rehearsal policy requires it; the live publish always runs.
    ...(rehearsal
      ? {
          runWhen: async (ctx: StepContext<DispatchRecord>, input: PublishInput) => {
            if (ctx.dryRun) return { run: true, reason: "a dry run rehearses the publish" };
            const release = await releaseCommit(ctx);
            if (!release) return { run: true, reason: "no release commit yet: the step will say why" };
            const policy = await rehearsalPolicy({
              repoRoot: ctx.repoRoot,
              baseTag: ctx.release.baseTag,
              sha: release.sha,
              globs: ctx.config.github.rehearsalWhenChanged,
              credentialsRotated: input.credentialsRotated,
            });
            return { run: policy.required, reason: policy.reason };
          },
        }
      : {}),
    // Another build run asks for another rehearsal; a live publish that succeeded is never repeated.
    ...(rehearsal
      ? {
          supersedes: (r: DispatchRecord, input: PublishInput) =>
            input.buildRunId !== undefined && String(input.buildRunId) !== r.buildRunId,
        }
      : {}),

    async plan(ctx, input) {
      const g = ctx.config.github;
      checkSkip(input.skip, input.allowPartialRelease, Object.keys(g.dispatchInputs.skip));
      const waitMs = input.waitMs ?? g.publishTimeout;
      const release = await releaseCommit(ctx);
      const empty: DispatchFacts = {
        tag: ctx.release.releaseTarget,
        sha: release?.sha ?? "",
        buildRunId: "",
        buildRunFrom: "none",
        workflow: g.publishWorkflow,
        ref: "",
        inputs: {},
        skip: input.skip,
        allowPartialRelease: input.allowPartialRelease,
        waitMs,
      };
      if (!release) return { problems: [noTagProblem(ctx)], actions: [], facts: empty };
      const { tag, sha } = release;
      const gh = await githubOf(ctx.config, ctx.repoRoot);
      // A dispatch whose run was not seen to conclude is resumed as it was sent, whatever the flags now.
      const existing = ctx.records[kind] as DispatchRecord | undefined;
      const resumed = existing?.dispatchedAt && existing.conclusion == null ? existing : undefined;
      const build = resumed
        ? { id: resumed.buildRunId, from: "ledger" as const }
        : await resolveBuildRun(ctx, gh, input, tag, sha);
      if (!build.id)
        return {
          problems: [
            {
              kind: "run",
              id: "build",
              detail: `no successful ${g.buildWorkflow} run of ${tag} is known: watch the build first, or name one with --build-run-id`,
              fix: ["shipgate", "build", ...targetArgs(ctx)],
            },
          ],
          actions: [],
          facts: empty,
        };

      // Provenance first: a build that is not this release's is never dispatched.
      const provenance = await verifyProvenance(gh, {
        runId: Number(build.id),
        buildWorkflow: g.buildWorkflow,
        metadataArtifact: g.metadataArtifact,
        expectTag: tag,
        tagCommit: sha,
      });
      const problems: StepProblem[] = provenance.problems.map((p) => ({
        kind: "provenance",
        id: p.id,
        detail: p.message,
      }));
      const undecided: string[] = [];
      const ref = resumed?.ref ?? g.publishRef ?? (await defaultBranch(gh));
      const facts: DispatchFacts = {
        ...empty,
        buildRunId: build.id,
        buildRunFrom: build.from,
        ref,
        ...(ref === tag ? { refSha: sha } : {}),
        inputs: resumed?.inputs ?? composeInputs(ctx, build.id, rehearsal, input),
        ...(resumed
          ? {
              skip: resumed.skip,
              allowPartialRelease: resumed.allowPartialRelease,
              resume: {
                dispatchedAt: resumed.dispatchedAt as string,
                ...(resumed.runId ? { runId: resumed.runId } : {}),
              },
            }
          : {}),
        ...(resumed?.policy ? { policy: resumed.policy } : {}),
        ...(resumed?.homebrew ? { homebrew: resumed.homebrew } : {}),
        provenance,
      };

      // Checked before a new live dispatch; a resumed one was checked when it was sent. The checks are
      // independent reads (git, the remote, GitHub, the tap): asked at once, reported in this order.
      if (!rehearsal && !facts.resume) {
        const checks: Promise<Collected>[] = [];
        checks.push(
          collect("rehearsal policy", async () => {
            const policy = await rehearsalPolicy({
              repoRoot: ctx.repoRoot,
              baseTag: ctx.release.baseTag,
              sha,
              globs: g.rehearsalWhenChanged,
              credentialsRotated: input.credentialsRotated,
            });
            const done = ctx.records.rehearsal as DispatchRecord | undefined;
            const satisfied = done?.conclusion === "success" && done.runId ? done.runId : undefined;
            facts.policy = {
              required: policy.required,
              reason: policy.reason,
              ...(satisfied ? { satisfiedBy: satisfied } : {}),
            };
            if (!policy.required || satisfied) return [];
            return [
              {
                kind: "rehearsal",
                id: "required",
                detail: `a successful rehearsal for ${tag} is required before the live publish: ${policy.reason}`,
                fix: ["shipgate", "publish", ...targetArgs(ctx), "--rehearsal", "--build-run-id", build.id],
              },
            ];
          }),
        );
        checks.push(collect("release guard", () => ctx.guard()));
        checks.push(
          collect("publish-preflight", async () =>
            preflightProblems(
              await publishPreflight({
                config: ctx.config,
                repoRoot: ctx.repoRoot,
                release: ctx.release,
                gh,
                sha,
                remote: release.remote,
                buildRunId: build.id,
              }),
            ),
          ),
        );
        const source = provenance.metadata?.source_sha;
        if (source) {
          checks.push(
            collect("remote tag", async () => {
              if (ctx.dryRun)
                return source === sha
                  ? []
                  : [
                      {
                        kind: "tag",
                        id: tag,
                        detail: `the planned ${tag} at ${short(sha)} is not the build's source_sha ${short(source)}`,
                      },
                    ];
              const onRemote = await remoteTag(ctx.repoRoot, release.remote, tag);
              if (!onRemote)
                return [
                  {
                    kind: "tag",
                    id: tag,
                    detail: `${tag} is not on ${release.remote}: push it first`,
                    fix: ["shipgate", "tag", ...targetArgs(ctx)],
                  },
                ];
              return onRemote.commit === source
                ? []
                : [
                    {
                      kind: "tag",
                      id: tag,
                      detail: `${release.remote}'s ${tag} points at ${short(onRemote.commit)}, the build's source_sha is ${short(source)}`,
                    },
                  ];
            }),
          );
        }
        checks.push(
          collect("Homebrew tap", async () => {
            const rerun = ["shipgate", "publish", ...targetArgs(ctx), "--build-run-id", build.id];
            const tap = await checkTap({
              config: ctx.config,
              repoRoot: ctx.repoRoot,
              gh,
              tag,
              version: tag.replace(/^v/, ""),
              buildRunId: Number(build.id),
              rerun,
            });
            if (tap.status !== "fail") {
              facts.homebrew = { status: tap.status, detail: tap.detail };
              return [];
            }
            return [
              {
                kind: "homebrew",
                id: "tap",
                detail: tap.detail,
                fix: ["shipgate", "homebrew", "update", ...targetArgs(ctx)],
              },
            ];
          }),
        );
        for (const checked of await allInOrder(checks)) {
          problems.push(...checked.problems);
          if (checked.undecided) undecided.push(checked.undecided);
        }
      }
      if (undecided.length > 0) {
        if (problems.length === 0)
          throw new IncompleteError(`the ${label} of ${tag} cannot be decided: ${undecided.join("; ")}`);
        problems.push(
          ...undecided.map((u) => ({
            kind: "undecided",
            id: u.split(":")[0] as string,
            detail: `could not be checked: ${u}`,
          })),
        );
      }

      const waitText = `wait up to ${formatDuration(waitMs)} for it to succeed`;
      const actions: StepAction[] = facts.resume
        ? [
            {
              id: "wait",
              todo: `find the ${g.publishWorkflow} run dispatched at ${facts.resume.dispatchedAt}${facts.resume.runId ? ` (run ${facts.resume.runId})` : ""} and ${waitText}`,
              done: `watched the ${g.publishWorkflow} run dispatched at ${facts.resume.dispatchedAt}`,
            },
          ]
        : [
            {
              id: "dispatch",
              todo: `dispatch ${g.publishWorkflow} (${label}) on ${ref} with ${describeInputs(facts.inputs)}`,
              done: `dispatched ${g.publishWorkflow} (${label}) on ${ref} with ${describeInputs(facts.inputs)}`,
            },
            { id: "wait", todo: waitText, done: `watched the ${label} run` },
          ];
      return { problems, actions, facts };
    },

    // A rehearsal publishes nothing, so it is the one dispatch a dry run makes.
    ...(rehearsal ? { appliesInDryRun: () => true } : {}),

    planned: (plan) => recordOf(plan.facts, rehearsal, true, { plannedAt: nowIso() }),

    async apply(ctx, plan) {
      const f = plan.facts;
      const g = ctx.config.github;
      const gh = await githubOf(ctx.config, ctx.repoRoot);
      const base = recordOf(f, rehearsal, ctx.dryRun, {});
      const appear = () => pollFor(ctx, g.runAppearTimeout);
      const match = (since: string, exclude: number[]) => ({
        workflow: f.workflow,
        ref: f.ref,
        headSha: f.refSha,
        since,
        exclude,
      });
      let run: WorkflowRun | null = null;
      let dispatchedAt = f.resume?.dispatchedAt;
      if (f.resume) {
        run = await findDispatchedRun(
          gh,
          match(f.resume.dispatchedAt, []),
          appear(),
          f.resume.runId ? Number(f.resume.runId) : undefined,
        );
        if (!run) {
          // Nothing came of it: forget that dispatch, so the next run plans (and checks) a fresh one.
          ctx.save(base);
          throw new IncompleteError(
            `no run of the ${f.workflow} dispatch sent at ${f.resume.dispatchedAt} appeared within ${formatDuration(g.runAppearTimeout)}: searched ${describeMatch(match(f.resume.dispatchedAt, []))}`,
            "rerun the same command: it checks everything again and dispatches anew",
          );
        }
      }
      if (!run) {
        const exclude = await dispatchRunsBefore(gh, f.workflow);
        // Saved before the POST: a crash after it makes the rerun look for the run, not dispatch twice.
        ctx.save({ ...base, dispatchedAt: nowIso() });
        let sent: Awaited<ReturnType<typeof dispatchWorkflow>>;
        try {
          sent = await dispatchWorkflow(gh, f.workflow, f.ref, f.inputs);
        } catch (err) {
          if (err instanceof DispatchRefusedError) ctx.save(base);
          throw err;
        }
        dispatchedAt = sent.at;
        ctx.save({ ...base, dispatchedAt, ...(sent.runId ? { runId: String(sent.runId) } : {}) });
        const m = match(sent.at, exclude);
        run = await findDispatchedRun(gh, m, appear(), sent.runId);
        if (!run)
          throw new IncompleteError(
            `dispatched ${f.workflow}, but no run it started appeared within ${formatDuration(g.runAppearTimeout)}: searched ${describeMatch(m)}`,
            "rerun the same command: it looks for that run again before dispatching anew",
          );
      }
      const runId = String(run.id);
      const checkpoint = { lastRunId: runId, lastRunUrl: run.html_url };
      ctx.save({ ...base, dispatchedAt, runId, runUrl: run.html_url, status: run.status }, checkpoint);
      const watched = await watchRun(gh, run.id, pollFor(ctx, f.waitMs));
      const final = watched.run;
      const record: DispatchRecord = {
        ...base,
        ...(dispatchedAt ? { dispatchedAt } : {}),
        runId,
        runUrl: final.html_url,
        status: final.status,
        conclusion: final.conclusion,
        finishedAt: nowIso(),
      };
      if (!watched.timedOut && final.conclusion === "success") return { record, checkpoint };

      const outcome = watched.timedOut
        ? `did not complete within ${formatDuration(f.waitMs)} (still ${final.status})`
        : `concluded ${final.conclusion ?? "without a conclusion"}`;
      const failure = await runFailure(gh, watched.jobs, LOG_TAIL_LINES);
      const remedies = remediesFor(failure.jobs, {
        target: f.tag,
        buildRunId: f.buildRunId,
        channels: Object.keys(g.dispatchInputs.skip),
        skipped: f.skip,
      });
      const jobsText = failure.failedJobs.length ? ` Failed jobs: ${failure.failedJobs.join(", ")}.` : "";
      const remedyText = remedies.map((r) => r.text).join(" ");
      const filed = await ctx.fileBlocker({
        check: kind,
        title: `${f.workflow} ${label} run ${runId} for ${f.tag} ${watched.timedOut ? "timed out" : (final.conclusion ?? "failed")}`,
        summary: `The ${label} of ${f.tag} (build run ${f.buildRunId}) ran as ${f.workflow} run ${runId}, which ${outcome}.${jobsText}${remedyText ? ` ${remedyText}` : " See the log excerpt; fix the cause, then rerun publish-only with the same build run."}`,
        rerunCommand: [
          "shipgate",
          ...command,
          "--release-target",
          f.tag,
          "--build-run-id",
          f.buildRunId,
        ].join(" "),
        ...failedRunBlockerFields(runId, final.html_url, failure),
      });
      return {
        record: {
          ...record,
          ...failedRunRecordFields(failure, watched.timedOut, filed),
          ...(remedies.length ? { remedies: remedies.map((r) => r.text) } : {}),
        },
        checkpoint,
        problems: [
          {
            kind: "run",
            id: runId,
            detail: `${f.workflow} run ${runId} ${outcome}${failure.failedJobs.length ? `; failed jobs: ${failure.failedJobs.join(", ")}` : ""} (${final.html_url})${remedyText ? ` — ${remedyText}` : ""}; blocker ${filed.dryRun ? "recorded as would-file (dry run)" : filed.id}`,
            fix: remedies[0]?.fix ?? [
              "gh",
              "run",
              "view",
              runId,
              "--log-failed",
              "--repo",
              `${gh.owner}/${gh.repo}`,
            ],
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
          detail: `${label} run ${record.runId} is now ${run.status}${run.conclusion ? `/${run.conclusion}` : ""}, the ledger recorded success`,
        },
      ];
    },
  });
  return step;
}

function recordOf(
  f: DispatchFacts,
  rehearsal: boolean,
  dryRun: boolean,
  extra: Partial<DispatchRecord>,
): DispatchRecord {
  return {
    rehearsal,
    dryRun,
    tag: f.tag,
    sha: f.sha,
    buildRunId: f.buildRunId,
    workflow: f.workflow,
    ref: f.ref,
    inputs: f.inputs,
    skip: f.skip,
    allowPartialRelease: f.allowPartialRelease,
    ...(f.policy ? { policy: f.policy } : {}),
    ...(f.homebrew ? { homebrew: f.homebrew } : {}),
    ...extra,
  };
}
