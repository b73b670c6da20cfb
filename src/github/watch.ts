// Waiting on workflow runs: poll for a run to appear, then poll it (and its jobs) until it completes,
// with a growing interval and one deadline; every change of the run or a job is reported once.
import { IncompleteError } from "../errors.js";
import type { GitHubTarget } from "./client.js";
import { getRun, type Job, listJobs, type WorkflowRun } from "./runs.js";

export interface PollOptions {
  /** Absolute time (ms since the epoch) after which waiting stops. */
  deadline: number;
  intervalMs: number;
  maxIntervalMs: number;
  signal?: AbortSignal | undefined;
  /** A line per change; `key` names what changed (a TTY redraws that line in place). */
  progress?: ((text: string, key?: string) => void) | undefined;
}

/** Sleeps, or throws IncompleteError as soon as the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new IncompleteError("interrupted while waiting on GitHub"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new IncompleteError("interrupted while waiting on GitHub"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Yields the waits between polls: interval, ×1.5 each time, capped, never past the deadline. */
function backoff(options: PollOptions): () => number {
  let next = options.intervalMs;
  return () => {
    const wait = Math.max(0, Math.min(next, options.deadline - Date.now()));
    next = Math.min(Math.round(next * 1.5), options.maxIntervalMs);
    return wait;
  };
}

/** Polls `find` until it returns a run, or null once the deadline passed. */
export async function pollForRun(
  find: () => Promise<WorkflowRun | null>,
  searched: string,
  options: PollOptions,
): Promise<WorkflowRun | null> {
  const wait = backoff(options);
  let said = false;
  for (;;) {
    const run = await find();
    if (run) return run;
    if (Date.now() >= options.deadline) return null;
    if (!said) options.progress?.(`waiting for a run to appear: ${searched}`, "search");
    said = true;
    await pause(wait(), options.signal);
  }
}

export interface Watched {
  run: WorkflowRun;
  jobs: Job[];
  /** The deadline passed before the run completed. */
  timedOut: boolean;
}

const jobState = (j: Job) => (j.status === "completed" ? (j.conclusion ?? "completed") : j.status);

/** Polls the run and its jobs until the run completes or the deadline passes. */
export async function watchRun(gh: GitHubTarget, runId: number, options: PollOptions): Promise<Watched> {
  const wait = backoff(options);
  const seen = new Map<string, string>();
  const report = (key: string, state: string, text: string) => {
    if (seen.get(key) === state) return;
    seen.set(key, state);
    options.progress?.(text, key);
  };
  for (;;) {
    const run = await getRun(gh, runId);
    const jobs = await listJobs(gh, runId);
    const runState =
      run.status === "completed" ? `completed: ${run.conclusion ?? "no conclusion"}` : `${run.status}`;
    report("run", runState, `run ${run.id} (${run.name ?? "workflow"}): ${runState} ${run.html_url}`);
    for (const job of jobs) report(`job ${job.name}`, jobState(job), `  job ${job.name}: ${jobState(job)}`);
    if (run.status === "completed") return { run, jobs, timedOut: false };
    if (Date.now() >= options.deadline) return { run, jobs, timedOut: true };
    await pause(wait(), options.signal);
  }
}
