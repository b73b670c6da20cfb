// Dispatching a workflow and finding the run that dispatch started — not a concurrent one: a
// workflow_dispatch run created after the dispatch (by GitHub's clock), unknown before it, on the
// dispatched ref's commit, and the only such run. GitHub's return_run_details answer is used when
// given, and checked against the same facts.
import * as z from "zod";
import { IncompleteError } from "../errors.js";
import { parseAnswer } from "./answer.js";
import { answeredStatus, type GitHubTarget, github } from "./client.js";
import { getRun, listRuns, type WorkflowRun } from "./runs.js";
import { type PollOptions, pollForRun } from "./watch.js";

// Runs GitHub lists as created up to this long before the dispatch's answer still count (clock rounding).
const CREATED_SLACK_MS = 2_000;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The workflow_dispatch runs of `workflow` GitHub lists now (newest 100): none of them is ours. */
export async function dispatchRunsBefore(gh: GitHubTarget, workflow: string): Promise<number[]> {
  return (await listRuns(gh, workflow, { event: "workflow_dispatch" })).map((r) => r.id);
}

export interface Dispatched {
  /** GitHub's time of the dispatch (its Date header), as an ISO string; the local clock without one. */
  at: string;
  /** The run id, when GitHub returned run details. */
  runId?: number;
}

const runDetailsSchema = z.object({ workflow_run_id: z.number().int() });

/** GitHub refused the dispatch (4xx): it certainly started nothing. */
export class DispatchRefusedError extends IncompleteError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = "DispatchRefusedError";
  }
}

/** POSTs the dispatch once: never retried on a 5xx, where GitHub may have started the run anyway. */
export async function dispatchWorkflow(
  gh: GitHubTarget,
  workflow: string,
  ref: string,
  inputs: Record<string, string>,
): Promise<Dispatched> {
  const what = `POST a dispatch of ${workflow} on ${ref}`;
  const response = await github(
    what,
    () =>
      gh.octokit
        .request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
          owner: gh.owner,
          repo: gh.repo,
          workflow_id: workflow,
          ref,
          inputs,
          return_run_details: true,
          request: { retries: 0 },
        })
        .catch(async (err: unknown) => {
          const status = answeredStatus(err);
          if (status === undefined || status >= 500 || status === 429 || status === 401) throw err;
          // Refused (422 unknown input or ref, 404 no workflow, 403 no permission): nothing was started.
          const refused = await github(what, () => Promise.reject(err), {
            missing: `workflow ${workflow} in ${gh.owner}/${gh.repo}`,
          }).catch((mapped: IncompleteError) => mapped);
          throw new DispatchRefusedError(
            (refused as IncompleteError).message,
            (refused as IncompleteError).hint,
          );
        }),
    { missing: `workflow ${workflow} in ${gh.owner}/${gh.repo}` },
  );
  const date = Date.parse(String(response.headers.date ?? ""));
  const at = iso(Number.isFinite(date) ? date : Date.now());
  const status = response.status as number;
  if (status === 200 && response.data) {
    const details = parseAnswer(runDetailsSchema, response.data, what);
    return { at, runId: details.workflow_run_id };
  }
  return { at };
}

export interface RunMatch {
  workflow: string;
  /** The dispatched ref (tag or branch name), and the commit it names when known (a tag's). */
  ref: string;
  headSha?: string | undefined;
  /** ISO time of the dispatch. */
  since: string;
  /** Runs known before the dispatch. */
  exclude: readonly number[];
}

function matches(run: WorkflowRun, m: RunMatch): boolean {
  const ref = m.ref.replace(/^refs\/(heads|tags)\//, "");
  return (
    run.event === "workflow_dispatch" &&
    (m.headSha === undefined || run.head_sha === m.headSha) &&
    (run.head_branch === null || run.head_branch === ref) &&
    !m.exclude.includes(run.id)
  );
}

export function describeMatch(m: RunMatch): string {
  return `workflow_dispatch runs of ${m.workflow} created since ${m.since} on ${m.ref}${m.headSha ? ` at ${m.headSha.slice(0, 12)}` : ""}${m.exclude.length ? `, not one of the ${m.exclude.length} listed before the dispatch` : ""}`;
}

/** The run the dispatch started; null when none appeared by the deadline; incomplete when ambiguous. */
export async function findDispatchedRun(
  gh: GitHubTarget,
  m: RunMatch,
  poll: PollOptions,
  runId?: number,
): Promise<WorkflowRun | null> {
  if (runId !== undefined) {
    const run = await getRun(gh, runId);
    if (!matches(run, { ...m, exclude: [] }))
      throw new IncompleteError(
        `GitHub named run ${runId} as the one the dispatch started, but it is a ${run.event} run on ${run.head_branch ?? "?"} at ${run.head_sha.slice(0, 12)}, not a workflow_dispatch run on ${m.ref}${m.headSha ? ` at ${m.headSha.slice(0, 12)}` : ""}`,
      );
    return run;
  }
  const since = iso(Date.parse(m.since) - CREATED_SLACK_MS);
  return pollForRun(
    async () => {
      const found = (
        await listRuns(gh, m.workflow, { event: "workflow_dispatch", created: `>=${since}` })
      ).filter((run) => matches(run, m));
      if (found.length > 1)
        throw new IncompleteError(
          `cannot tell which run the dispatch started: runs ${found.map((r) => r.id).join(", ")} all match (${describeMatch(m)})`,
          "check the runs on GitHub, then rerun",
        );
      return found[0] ?? null;
    },
    describeMatch(m),
    poll,
  );
}
