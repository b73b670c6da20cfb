// Workflow runs: the facts a blocker needs about a failed run (URL, failed jobs), parsed before use.
import { z } from "zod";
import { parseAnswer } from "./artifacts.js";
import { type GitHubTarget, github } from "./client.js";

const runSchema = z.object({
  id: z.number().int(),
  html_url: z.string().min(1),
  name: z.string().nullable().optional(),
  conclusion: z.string().nullable(),
});
const jobsSchema = z.array(z.object({ name: z.string(), conclusion: z.string().nullable() }));

export interface RunSummary {
  id: string;
  url: string;
  name: string | null;
  conclusion: string | null;
  failedJobs: string[];
}

const FAILED = new Set(["failure", "timed_out", "cancelled", "startup_failure"]);

export async function runSummary(gh: GitHubTarget, runId: string): Promise<RunSummary> {
  const run_id = Number(runId);
  const runWhat = `GET run ${runId}`;
  const { data } = await github(runWhat, () =>
    gh.octokit.rest.actions.getWorkflowRun({ owner: gh.owner, repo: gh.repo, run_id }),
  );
  const run = parseAnswer(runSchema, data, runWhat);
  const jobsWhat = `GET jobs of run ${runId}`;
  const answer = await github(jobsWhat, () =>
    gh.octokit.paginate(gh.octokit.rest.actions.listJobsForWorkflowRun, {
      owner: gh.owner,
      repo: gh.repo,
      run_id,
      per_page: 100,
    }),
  );
  const jobs = parseAnswer(jobsSchema, answer, jobsWhat);
  return {
    id: runId,
    url: run.html_url,
    name: run.name ?? null,
    conclusion: run.conclusion ?? null,
    failedJobs: jobs.filter((j) => j.conclusion !== null && FAILED.has(j.conclusion)).map((j) => j.name),
  };
}
