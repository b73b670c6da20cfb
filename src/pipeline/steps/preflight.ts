// Release step "preflight" (`shipgate publish-preflight`): the read-only checks that publishing can
// succeed, recorded with their results. Every miss exits 1 with its remediation; a question GitHub or
// git cannot answer (and nothing failed) exits 3. Runs in a dry run too.
import * as z from "zod";
import { headSha } from "../../context/git.js";
import { type PreflightCheck, preflightProblems, publishPreflight } from "../preflight.js";
import { githubOf, nowIso, releaseCommit, short } from "../release-facts.js";
import { defineStep, type StepContext, type StepProblem } from "../step.js";
import type { BuildRecord } from "./build.js";

const checkSchema = z.strictObject({
  id: z.string(),
  status: z.enum(["pass", "fail", "incomplete", "skipped"]),
  detail: z.string(),
  fix: z.array(z.string()).optional(),
});

export const preflightRecordSchema = z.strictObject({
  sha: z.string(),
  dryRun: z.boolean(),
  ok: z.boolean(),
  checks: z.array(checkSchema),
  checkedAt: z.string(),
});
export type PreflightRecord = z.infer<typeof preflightRecordSchema>;

export interface PreflightFacts {
  sha: string;
  remote: string;
}

async function check(
  ctx: StepContext<PreflightRecord>,
  facts: PreflightFacts,
): Promise<{ checks: PreflightCheck[]; problems: StepProblem[] }> {
  const build = ctx.records.build as BuildRecord | undefined;
  const checks = await publishPreflight({
    config: ctx.config,
    repoRoot: ctx.repoRoot,
    release: ctx.release,
    gh: await githubOf(ctx.config, ctx.repoRoot),
    sha: facts.sha,
    remote: facts.remote,
    buildRunId: build?.runId,
  });
  return { checks, problems: preflightProblems(checks) };
}

export const preflightStep = defineStep<Record<string, never>, PreflightFacts, PreflightRecord, "preflight">({
  name: "preflight",
  command: ["publish-preflight"],
  phase: "preflight-passed",
  record: preflightRecordSchema,
  describe: (r) => {
    const failed = r.checks.filter((c) => c.status !== "pass" && c.status !== "skipped");
    return {
      state: r.ok ? "passed" : "failed",
      detail: `${r.checks.length - failed.length}/${r.checks.length} checks for ${short(r.sha)}${failed[0] ? `: ${failed[0].detail}` : ""}`,
    };
  },
  succeeded: (r) => r.ok,
  // A read-only check is simply asked again, so the record always holds the latest answers.
  supersedes: () => true,

  async plan(ctx) {
    const release = await releaseCommit(ctx);
    const sha = release?.sha ?? (await headSha(ctx.repoRoot));
    return {
      problems: [],
      actions: [
        {
          id: "check",
          todo: `check that publishing ${ctx.release.releaseTarget} can succeed (secrets, pushed commit, base tag, CI, workflows)`,
          done: `checked that publishing ${ctx.release.releaseTarget} can succeed`,
        },
      ],
      facts: { sha, remote: release?.remote ?? "origin" },
    };
  },

  appliesInDryRun: () => true,
  planned: (plan) => ({ sha: plan.facts.sha, dryRun: true, ok: false, checks: [], checkedAt: nowIso() }),

  async apply(ctx, plan) {
    const { checks, problems } = await check(ctx, plan.facts);
    return {
      record: {
        sha: plan.facts.sha,
        dryRun: ctx.dryRun,
        ok: problems.length === 0,
        checks,
        checkedAt: nowIso(),
      },
      problems,
    };
  },

  async verify(ctx, record) {
    const release = await releaseCommit(ctx);
    return (await check(ctx, { sha: record.sha, remote: release?.remote ?? "origin" })).problems;
  },
});
