// Workflow runs: the facts a blocker needs about a failed run (URL, failed jobs).
import { type GitHubTarget, github } from "./client.js";

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
  const { data: run } = await github(`GET run ${runId}`, () =>
    gh.octokit.rest.actions.getWorkflowRun({ owner: gh.owner, repo: gh.repo, run_id }),
  );
  const jobs = await github(`GET jobs of run ${runId}`, () =>
    gh.octokit.paginate(gh.octokit.rest.actions.listJobsForWorkflowRun, {
      owner: gh.owner,
      repo: gh.repo,
      run_id,
      per_page: 100,
    }),
  );
  return {
    id: runId,
    url: run.html_url,
    name: run.name ?? null,
    conclusion: run.conclusion ?? null,
    failedJobs: jobs.filter((j) => j.conclusion !== null && FAILED.has(j.conclusion)).map((j) => j.name),
  };
}
