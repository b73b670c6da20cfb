// Release step "provenance": the build run to be published belongs to the build workflow, concluded
// success, and its metadata artifact names this release's tag, version and the tag's commit. Read-only,
// so it runs in a dry run too; each violation is recorded and exits 1; what cannot be read exits 3.
import * as z from "zod";
import { verifyProvenance } from "../../github/provenance.js";
import { githubOf, noTagProblem, nowIso, releaseCommit, short, targetArgs } from "../release-facts.js";
import { defineStep, type StepContext, type StepProblem } from "../step.js";
import type { BuildRecord } from "./build.js";

const metadataSchema = z.strictObject({
  tag: z.string(),
  version: z.string(),
  source_sha: z.string(),
  source_ref: z.string().optional(),
});

export const provenanceRecordSchema = z.strictObject({
  runId: z.string(),
  expectedTag: z.string(),
  tagCommit: z.string(),
  dryRun: z.boolean(),
  ok: z.boolean(),
  runUrl: z.string().optional(),
  workflow: z.string().nullable().optional(),
  conclusion: z.string().nullable().optional(),
  event: z.string().optional(),
  headSha: z.string().optional(),
  headBranch: z.string().nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
  problems: z.array(z.string()).default([]),
  plannedAt: z.string().optional(),
  checkedAt: z.string().optional(),
});
export type ProvenanceRecord = z.infer<typeof provenanceRecordSchema>;

export interface ProvenanceInput {
  /** The build run to check (default: the one the build step recorded). */
  runId?: number | undefined;
}

export interface ProvenanceFacts {
  runId: string;
  expectedTag: string;
  tagCommit: string;
}

/** Runs the check against the recorded facts: the record, and each violation as a step problem. */
async function check(
  ctx: StepContext<ProvenanceRecord>,
  facts: Pick<ProvenanceFacts, keyof ProvenanceFacts>,
): Promise<{ record: ProvenanceRecord; problems: StepProblem[] }> {
  const gh = await githubOf(ctx.config, ctx.repoRoot);
  const report = await verifyProvenance(gh, {
    runId: Number(facts.runId),
    buildWorkflow: ctx.config.github.buildWorkflow,
    metadataArtifact: ctx.config.github.metadataArtifact,
    expectTag: facts.expectedTag,
    tagCommit: facts.tagCommit,
  });
  const record: ProvenanceRecord = {
    runId: facts.runId,
    expectedTag: facts.expectedTag,
    tagCommit: facts.tagCommit,
    dryRun: ctx.dryRun,
    ok: report.problems.length === 0,
    runUrl: report.url,
    workflow: report.workflow.path,
    conclusion: report.conclusion,
    event: report.event,
    headSha: report.headSha,
    headBranch: report.headBranch,
    metadata: report.metadata,
    problems: report.problems.map((p) => p.message),
    checkedAt: nowIso(),
  };
  const problems = report.problems.map((p) => ({ kind: "provenance", id: p.id, detail: p.message }));
  return { record, problems };
}

export const provenanceStep = defineStep<ProvenanceInput, ProvenanceFacts, ProvenanceRecord, "provenance">({
  name: "provenance",
  phase: "provenance-verified",
  record: provenanceRecordSchema,
  describe: (r) => ({
    state: r.checkedAt ? (r.ok ? "verified" : "violated") : "planned (dry-run)",
    detail: `run ${r.runId} for ${r.expectedTag} at ${short(r.tagCommit)}${r.problems.length ? `: ${r.problems[0]}` : ""}`,
  }),
  succeeded: (r) => r.ok && r.checkedAt !== undefined,
  supersedes: (r, input) => input.runId !== undefined && String(input.runId) !== r.runId,

  async plan(ctx, input) {
    const release = await releaseCommit(ctx);
    const build = ctx.records.build as BuildRecord | undefined;
    const runId = input.runId !== undefined ? String(input.runId) : build?.runId;
    const facts = {
      runId: runId ?? "",
      expectedTag: ctx.release.releaseTarget,
      tagCommit: release?.sha ?? "",
    };
    const problems: StepProblem[] = [];
    if (!release) problems.push(noTagProblem(ctx));
    if (!runId)
      problems.push({
        kind: "run",
        id: "build",
        detail: "no build run recorded for this release: find and watch it first (or name one with --run-id)",
        fix: ["shipgate", "build", ...targetArgs(ctx)],
      });
    return {
      problems,
      actions: [
        {
          id: "verify",
          todo: `verify the provenance of build run ${runId} (workflow, conclusion, ${ctx.config.github.metadataArtifact} metadata)`,
          done: `verified the provenance of build run ${runId}`,
        },
      ],
      facts,
    };
  },

  // Reading a run and its artifact changes nothing remote.
  appliesInDryRun: () => true,
  planned: (plan) => ({ ...plan.facts, dryRun: true, ok: false, problems: [], plannedAt: nowIso() }),

  async apply(ctx, plan) {
    return check(ctx, plan.facts);
  },

  async verify(ctx, record) {
    return (await check(ctx, record)).problems;
  },
});
