// Workflows, workflow runs and their jobs, every answer schema-parsed: the facts the build wait, the
// provenance check, the publish dispatch and blockers need (status, conclusion, failed jobs, log tails).
import * as z from "zod";
import { parseAnswer } from "./answer.js";
import { type GitHubTarget, github, githubOrNull } from "./client.js";

export const workflowRunSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable().optional(),
  path: z.string().optional(),
  workflow_id: z.number().int(),
  event: z.string(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  head_sha: z.string(),
  head_branch: z.string().nullable(),
  html_url: z.string(),
  created_at: z.string(),
  run_attempt: z.number().int().optional(),
  display_title: z.string().optional(),
});
export type WorkflowRun = z.infer<typeof workflowRunSchema>;
const runListSchema = z.object({ total_count: z.number().int(), workflow_runs: z.array(workflowRunSchema) });

const stepSchema = z.object({
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
  number: z.number().int(),
});
export const jobSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
  html_url: z.string().nullable().optional(),
  steps: z.array(stepSchema).optional(),
});
export type Job = z.infer<typeof jobSchema>;

export const workflowSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  state: z.string(),
});
export type Workflow = z.infer<typeof workflowSchema>;

/** Conclusions that mean a job or run failed (as opposed to success, skipped or neutral). */
export const FAILED_CONCLUSIONS = new Set(["failure", "timed_out", "cancelled", "startup_failure"]);

const slug = (gh: GitHubTarget) => `${gh.owner}/${gh.repo}`;

export async function getRun(gh: GitHubTarget, runId: number | string): Promise<WorkflowRun> {
  const what = `GET run ${runId}`;
  const { data } = await github(
    what,
    () => gh.octokit.rest.actions.getWorkflowRun({ owner: gh.owner, repo: gh.repo, run_id: Number(runId) }),
    { missing: `run ${runId} of ${slug(gh)}` },
  );
  return parseAnswer(workflowRunSchema, data, what);
}

/** The workflow named by its file (release.yml), or null when the repository has none by that name. */
export async function getWorkflow(gh: GitHubTarget, file: string): Promise<Workflow | null> {
  const what = `GET workflow ${file}`;
  const answer = await githubOrNull(what, () =>
    gh.octokit.rest.actions.getWorkflow({ owner: gh.owner, repo: gh.repo, workflow_id: file }),
  );
  return answer ? parseAnswer(workflowSchema, answer.data, what) : null;
}

export interface RunQuery {
  event?: string;
  head_sha?: string;
  status?: "completed" | "success" | "failure" | "in_progress" | "queued";
  created?: string;
  branch?: string;
}

/** Describes a run search in words, for progress lines and "never appeared" errors. */
export function describeQuery(workflow: string, query: RunQuery): string {
  const parts = Object.entries(query).map(([k, v]) => `${k}=${v}`);
  return `runs of workflow ${workflow}${parts.length ? ` with ${parts.join(", ")}` : ""}`;
}

/** The newest runs of a workflow matching `query` (one page of 100, newest first). */
export async function listRuns(gh: GitHubTarget, workflow: string, query: RunQuery): Promise<WorkflowRun[]> {
  const what = `GET ${describeQuery(workflow, query)}`;
  const { data } = await github(
    what,
    () =>
      gh.octokit.rest.actions.listWorkflowRuns({
        owner: gh.owner,
        repo: gh.repo,
        workflow_id: workflow,
        per_page: 100,
        ...query,
      }),
    { missing: `workflow ${workflow} in ${slug(gh)}` },
  );
  return parseAnswer(runListSchema, data, what).workflow_runs;
}

export async function listJobs(gh: GitHubTarget, runId: number | string): Promise<Job[]> {
  const what = `GET jobs of run ${runId}`;
  const jobs = await github(
    what,
    () =>
      gh.octokit.paginate(gh.octokit.rest.actions.listJobsForWorkflowRun, {
        owner: gh.owner,
        repo: gh.repo,
        run_id: Number(runId),
        per_page: 100,
      }),
    { missing: `run ${runId} of ${slug(gh)}` },
  );
  return parseAnswer(z.array(jobSchema), jobs, what);
}

/** The last `lines` lines of a job's log, or null when GitHub has none (expired, not finished). */
export async function jobLogTail(gh: GitHubTarget, jobId: number, lines: number): Promise<string | null> {
  const what = `GET the log of job ${jobId}`;
  const answer = await githubOrNull(what, () =>
    gh.octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner: gh.owner, repo: gh.repo, job_id: jobId }),
  );
  if (!answer) return null;
  const data = answer.data as unknown;
  const text =
    typeof data === "string"
      ? data
      : data instanceof ArrayBuffer || Buffer.isBuffer(data)
        ? Buffer.from(data as ArrayBuffer).toString("utf8")
        : null;
  if (text === null) return null;
  return text.replace(/\s+$/, "").split("\n").slice(-lines).join("\n");
}

export interface FailedJob {
  name: string;
  conclusion: string;
  /** The job's first failed step. */
  failingStep?: string;
  /** The end of its log, when GitHub still has it. */
  logTail?: string;
}

export interface RunFailure {
  failedJobs: string[];
  /** The first failed step of the first failed job, as "job › step". */
  failingStep?: string;
  /** The tail of the failed jobs' logs (at most three jobs), each headed by the job's name. */
  logTail?: string;
  jobs: FailedJob[];
}

/** What a blocker says about a failed run: its failed jobs, the failing step, the end of their logs. */
export async function runFailure(gh: GitHubTarget, jobs: Job[], lines: number): Promise<RunFailure> {
  const failed = jobs.filter((j) => j.conclusion !== null && FAILED_CONCLUSIONS.has(j.conclusion));
  const details: FailedJob[] = [];
  // The blocker keeps about `lines` lines in all, shared by the (at most three) jobs whose logs are read.
  const perJob = Math.max(5, Math.floor(lines / Math.min(Math.max(failed.length, 1), 3)));
  for (const [i, job] of failed.entries()) {
    const step = job.steps?.find((s) => s.conclusion !== null && FAILED_CONCLUSIONS.has(s.conclusion));
    // A log is evidence, not a verdict: a log that cannot be had leaves the blocker without it.
    const tail = i < 3 ? await jobLogTail(gh, job.id, perJob).catch(() => null) : null;
    details.push({
      name: job.name,
      conclusion: job.conclusion as string,
      ...(step ? { failingStep: step.name } : {}),
      ...(tail ? { logTail: tail } : {}),
    });
  }
  const first = details.find((d) => d.failingStep);
  const tails = details
    .filter((d) => d.logTail)
    .map((d) => (details.length > 1 ? `== ${d.name} ==\n${d.logTail}` : (d.logTail as string)));
  return {
    failedJobs: details.map((d) => d.name),
    ...(first ? { failingStep: `${first.name} › ${first.failingStep}` } : {}),
    ...(tails.length ? { logTail: tails.join("\n") } : {}),
    jobs: details,
  };
}

/** What a blocker filed for a failed run carries of it: the run, its failed jobs, step and log tail. */
export function failedRunBlockerFields(runId: string, runUrl: string, failure: RunFailure) {
  return {
    runId,
    runUrl,
    failedJobs: failure.failedJobs,
    ...(failure.failingStep ? { failingCommand: failure.failingStep } : {}),
    ...(failure.logTail ? { logSnippet: failure.logTail } : {}),
  };
}

/** What the ledger's record of a failed run keeps of it (the blocker id when one was filed for real). */
export function failedRunRecordFields(
  failure: RunFailure,
  timedOut: boolean,
  filed: { dryRun: boolean; id?: string | undefined },
) {
  return {
    ...(timedOut ? { timedOut: true } : {}),
    failedJobs: failure.failedJobs,
    ...(failure.failingStep ? { failingStep: failure.failingStep } : {}),
    ...(filed.dryRun ? {} : { blockerId: filed.id }),
  };
}

export interface RunSummary {
  id: string;
  url: string;
  name: string | null;
  conclusion: string | null;
  failedJobs: string[];
}

// A blocker's enrichment reads only these fields, so only these are required of the answers.
const summaryRunSchema = z.object({
  html_url: z.string(),
  name: z.string().nullable().optional(),
  conclusion: z.string().nullable(),
});
const summaryJobsSchema = z.array(z.object({ name: z.string(), conclusion: z.string().nullable() }));

export async function runSummary(gh: GitHubTarget, runId: string): Promise<RunSummary> {
  const run_id = Number(runId);
  const runWhat = `GET run ${runId}`;
  const { data } = await github(
    runWhat,
    () => gh.octokit.rest.actions.getWorkflowRun({ owner: gh.owner, repo: gh.repo, run_id }),
    { missing: `run ${runId} of ${slug(gh)}` },
  );
  const run = parseAnswer(summaryRunSchema, data, runWhat);
  const jobsWhat = `GET jobs of run ${runId}`;
  const jobs = parseAnswer(
    summaryJobsSchema,
    await github(
      jobsWhat,
      () =>
        gh.octokit.paginate(gh.octokit.rest.actions.listJobsForWorkflowRun, {
          owner: gh.owner,
          repo: gh.repo,
          run_id,
          per_page: 100,
        }),
      { missing: `run ${runId} of ${slug(gh)}` },
    ),
    jobsWhat,
  );
  return {
    id: runId,
    url: run.html_url,
    name: run.name ?? null,
    conclusion: run.conclusion,
    failedJobs: jobs
      .filter((j) => j.conclusion !== null && FAILED_CONCLUSIONS.has(j.conclusion))
      .map((j) => j.name),
  };
}
