// Checks channels concurrently, each retried with backoff while it is not live until the propagation
// window ends, then smoke-tests the live ones that ask for it. Read-only: nothing here writes to a
// registry. Each channel's final observation is handed to `settled` as soon as it is known.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BaseConfig } from "../config/base.js";
import { errorMessage, UsageError } from "../errors.js";
import { redact } from "../evidence/redact.js";
import { type GitHubTarget, githubFor } from "../github/client.js";
import { channelHttp } from "./http.js";
import type { DeliveryEntry } from "./outcome.js";
import { DEFAULT_SMOKE_TIMEOUT_MS, runSmoke } from "./smoke.js";
import type { ChannelCheck, ChannelEntry, ChannelEnv, ChannelKind } from "./types.js";

export interface ChannelJob {
  id: string;
  channel: ChannelKind;
  entry: ChannelEntry;
}

export interface CheckSettings {
  config: BaseConfig;
  repoRoot: string;
  tag: string;
  version: string;
  dryRun: boolean;
  /** The propagation window: a channel not live is asked again until it ends (0: ask once). */
  waitMs: number;
  /** First delay between two checks of one channel; doubles after each, up to maxPollMs. */
  pollMs: number;
  maxPollMs: number;
  requestTimeoutMs: number;
  /** Where install-smoke logs go. */
  logsDir: string;
  /** Interrupt: stops waiting and checking. */
  signal?: AbortSignal;
  progress?: (text: string) => void;
}

const now = () => new Date().toISOString();
/** One line of progress: long summaries (a formula's every difference) are cut. */
export const brief = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}...` : text);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** One check, with every thrown error turned into an incomplete observation naming what happened. */
async function observe(
  job: ChannelJob,
  env: ChannelEnv,
  window: AbortSignal,
): Promise<ChannelCheck & { final?: boolean }> {
  try {
    return await job.channel.check(job.entry, env);
  } catch (err) {
    const message = redact(errorMessage(err));
    // A missing config key is not going to change while we wait.
    if (err instanceof UsageError) return { status: "incomplete", summary: message, final: true };
    const cut = window.aborted && !/window ended/.test(message) ? " (the propagation window ended)" : "";
    return { status: "incomplete", summary: `${message}${cut}` };
  }
}

async function checkOne(
  job: ChannelJob,
  settings: CheckSettings,
  base: Omit<ChannelEnv, "signal" | "http">,
): Promise<DeliveryEntry> {
  const started = Date.now();
  const interrupt = settings.signal ?? new AbortController().signal;
  const window =
    settings.waitMs > 0 ? AbortSignal.any([interrupt, AbortSignal.timeout(settings.waitMs)]) : interrupt;
  const envFor = (signal: AbortSignal): ChannelEnv => ({
    ...base,
    signal,
    http: channelHttp({ signal, timeoutMs: settings.requestTimeoutMs }),
  });
  // The first check is never cut by the window, only by its own request timeout or an interrupt: a slow
  // answer (a loaded machine, a slow mirror) is still an answer, and the window only bounds asking again.
  const first = envFor(interrupt);
  const later = envFor(window);
  let attempts = 0;
  let last: (ChannelCheck & { final?: boolean }) | undefined;
  let delay = settings.pollMs;
  for (;;) {
    attempts++;
    const seen = attempts === 1 ? await observe(job, first, interrupt) : await observe(job, later, window);
    // An answer cut short by the window's end does not replace what an earlier attempt saw.
    if (!(window.aborted && seen.status === "incomplete" && last)) last = seen;
    if (last.status === "live" || last.final || settings.waitMs <= 0 || window.aborted || interrupt.aborted)
      break;
    const left = started + settings.waitMs - Date.now();
    if (left <= 0) break;
    settings.progress?.(
      brief(
        `${job.id}: ${last.status}, asking again in ${Math.round(Math.min(delay, left) / 100) / 10}s (${last.summary})`,
      ),
    );
    await sleep(Math.min(delay, left), window);
    if (window.aborted || interrupt.aborted) break;
    delay = Math.min(delay * 2, settings.maxPollMs);
  }
  const result = last;
  const entry: DeliveryEntry = {
    kind: job.channel.kind,
    status: result.status,
    summary: `${job.id}: ${result.summary}`,
    url: result.url ?? null,
    versionExpected: settings.version,
    versionSeen: result.versionSeen ?? null,
    checkedAt: now(),
    durationMs: 0,
    attempts,
    dryRun: settings.dryRun,
  };
  if (result.status === "live" && job.entry.installSmoke) {
    settings.progress?.(`${job.id}: live; running the install smoke`);
    const safe = job.id.replace(/[^\w.-]+/g, "_");
    const smoke = await runSmoke(job.entry.installSmoke, {
      version: settings.version,
      tag: settings.tag,
      env: result.smokeEnv,
      timeoutMs: job.entry.smokeTimeout ?? DEFAULT_SMOKE_TIMEOUT_MS,
      logFile: path.join(settings.logsDir, `deliver-${safe}-smoke.log`),
      signal: interrupt,
    });
    entry.smoke = smoke;
    if (smoke.status === "fail") {
      entry.status = "wrong";
      const why = smoke.timedOut ? "timed out" : `exited ${smoke.exitCode ?? "by a signal"}`;
      entry.summary = `${job.id}: live, but the install smoke \`${smoke.command}\` ${why} (log: ${smoke.logPath})`;
    }
  }
  entry.durationMs = Date.now() - started;
  return entry;
}

/** Every job's final observation, by channel id, in job order. */
export async function checkChannels(
  jobs: ChannelJob[],
  settings: CheckSettings,
  settled: (id: string, entry: DeliveryEntry) => void = () => {},
): Promise<Map<string, DeliveryEntry>> {
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), "shipgate-deliver-"));
  const clients = new Map<string, Promise<GitHubTarget>>();
  const github = (repo?: string) => {
    const key = repo ?? "";
    let client = clients.get(key);
    if (!client) {
      client = githubFor(settings.config.github, settings.repoRoot, {
        repo,
        timeoutMs: settings.requestTimeoutMs,
      });
      clients.set(key, client);
      client.catch(() => clients.delete(key));
    }
    return client;
  };
  const base = {
    config: settings.config,
    repoRoot: settings.repoRoot,
    tag: settings.tag,
    version: settings.version,
    github,
    scratchDir,
  };
  try {
    const entries = await Promise.all(
      jobs.map(async (job) => {
        const entry = await checkOne(job, settings, base);
        settled(job.id, entry);
        return [job.id, entry] as const;
      }),
    );
    return new Map(entries);
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}
