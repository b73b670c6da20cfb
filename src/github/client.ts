// The GitHub REST client: token discovery, API base URL, repository resolution, retries (5xx, network
// errors, secondary rate limits) with backoff, and fail-closed errors that say what to do.
import type { Octokit } from "@octokit/rest";
import type { GithubConfig } from "../config/base.js";
import { originRepoSlug } from "../context/git.js";
import { errorMessage, IncompleteError, ShipgateError, UsageError } from "../errors.js";
import { redactor } from "../evidence/redact.js";
import { remembered } from "../memo.js";

const REQUEST_TIMEOUT_MS = 30_000;

/** Each request's limit: 30 s, or SHIPGATE_GITHUB_TIMEOUT_MS (a positive number of milliseconds). */
export function requestTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SHIPGATE_GITHUB_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : REQUEST_TIMEOUT_MS;
}
/** Retries of a failed request (5xx, network error) and of a secondary rate limit. */
export const GITHUB_RETRIES = 3;
/** A primary rate limit is waited out only when it resets this soon; otherwise the command is incomplete. */
const MAX_RATE_LIMIT_WAIT_S = 60;
const TOKEN_HINT =
  "set GH_TOKEN (or GITHUB_TOKEN, or `gh auth login`) to a token for this repository with the `repo` and `workflow` scopes (fine-grained: Actions read/write, Contents read, Secrets read, Issues read/write)";

export interface GitHubTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
}

/** The API and repository a target talks to, e.g. as part of a remembered answer's key. */
export function targetKey(gh: GitHubTarget): string {
  return `${gh.octokit.request.endpoint.DEFAULTS.baseUrl}/repos/${gh.owner}/${gh.repo}`;
}

/** GH_TOKEN, then GITHUB_TOKEN, then `gh auth token` when gh is installed; the token joins the redactor. */
export async function githubToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let token = env.GH_TOKEN || env.GITHUB_TOKEN;
  if (!token) {
    const { execa } = await import("execa");
    const result = await execa("gh", ["auth", "token"], {
      reject: false,
      timeout: 10_000,
      env: { GH_PROMPT_DISABLED: "1" },
    });
    if (!result.failed) token = String(result.stdout).trim();
  }
  if (!token) {
    throw new IncompleteError(
      "no GitHub token: set GH_TOKEN or GITHUB_TOKEN, or log in with `gh auth login`",
    );
  }
  redactor().add(token);
  return token;
}

/** SHIPGATE_GITHUB_API_URL overrides the configured URL; unset means GitHub's public API. */
export function githubApiUrl(
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return env.SHIPGATE_GITHUB_API_URL || configured || undefined;
}

/**
 * The base of the retry backoff in milliseconds (attempt n waits n² × base; a secondary rate limit waits
 * its retry-after × base / 1000 s). SHIPGATE_GITHUB_RETRY_BASE_MS shortens it for tests and demos.
 */
export function retryBaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.SHIPGATE_GITHUB_RETRY_BASE_MS);
  return Number.isFinite(value) && value >= 0 && env.SHIPGATE_GITHUB_RETRY_BASE_MS ? value : 1000;
}

export async function resolveRepo(
  repoRoot: string,
  configured: string | undefined,
): Promise<{ owner: string; repo: string }> {
  const slug = configured ?? (await originRepoSlug(repoRoot));
  if (!slug)
    throw new UsageError(
      "no GitHub repository: set github.repo (owner/name) in the config, or an origin remote",
    );
  const [owner, repo] = slug.split("/") as [string, string];
  return { owner, repo };
}

// A limiter group that runs every request at once: shipgate sends few requests, one at a time, and the
// plugin's shared pacing groups would outlive one invocation inside a test process.
const direct = {
  key: () => ({
    schedule: (_options: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]) => fn(...args),
  }),
  // Typed as the plugin's Bottleneck.Group, of which it implements the one method the plugin calls.
} as never;

export interface ClientOverrides {
  repo?: string | undefined;
  apiUrl?: string | undefined;
  timeoutMs?: number | undefined;
}

/**
 * The client for a repository. One invocation builds it once per repository and API: each release step
 * asks for it, and building it may cost a git call (the origin's slug) and a `gh auth token` process.
 */
export function githubFor(
  settings: Pick<GithubConfig, "repo" | "apiUrl">,
  repoRoot: string,
  overrides: ClientOverrides = {},
): Promise<GitHubTarget> {
  const key = JSON.stringify([
    "github",
    repoRoot,
    overrides.repo ?? settings.repo ?? null,
    githubApiUrl(overrides.apiUrl ?? settings.apiUrl) ?? null,
    overrides.timeoutMs ?? null,
  ]);
  return remembered(key, () => buildClient(settings, repoRoot, overrides));
}

async function buildClient(
  settings: Pick<GithubConfig, "repo" | "apiUrl">,
  repoRoot: string,
  overrides: ClientOverrides,
): Promise<GitHubTarget> {
  const { owner, repo } = await resolveRepo(repoRoot, overrides.repo ?? settings.repo);
  const baseUrl = githubApiUrl(overrides.apiUrl ?? settings.apiUrl);
  // Loaded on first use: only GitHub-facing commands pay for the client's import time.
  const [{ Octokit }, { retry }, { throttling }] = await Promise.all([
    import("@octokit/rest"),
    import("@octokit/plugin-retry"),
    import("@octokit/plugin-throttling"),
  ]);
  const base = retryBaseMs();
  const Client = Octokit.plugin(retry, throttling);
  const octokit = new Client({
    auth: await githubToken(),
    ...(baseUrl ? { baseUrl } : {}),
    userAgent: "shipgate",
    // A fresh timeout per request: nothing may hang a release on a silent server. A caller's own signal
    // (e.g. the end of a propagation window) still aborts the request.
    request: {
      fetch: (url: string | URL, init?: RequestInit) => {
        const timeout = AbortSignal.timeout(overrides.timeoutMs ?? requestTimeoutMs());
        const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
        return fetch(url, { ...init, signal });
      },
    },
    retry: { retries: GITHUB_RETRIES, retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      // global and auth are honoured at run time though the plugin's types leave them out.
      ...({ global: direct, auth: direct } as object),
      search: direct,
      write: direct,
      notifications: direct,
      onSecondaryRateLimit: (_after: number, _options: unknown, _o: unknown, count: number) =>
        count < GITHUB_RETRIES,
      onRateLimit: (after: number, _options: unknown, _o: unknown, count: number) =>
        count < 1 && after <= MAX_RATE_LIMIT_WAIT_S,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit: octokit as unknown as Octokit, owner, repo };
}

export interface GitHubCall {
  /** What is missing when GitHub answers 404, e.g. "workflow release.yml in acme/widget". */
  missing?: string;
}

/** The HTTP status of a failed request that GitHub answered, or undefined when it was never answered. */
export function answeredStatus(err: unknown): number | undefined {
  const { status, response } = err as { status?: number; response?: unknown };
  // Octokit reports a failed connection as status 500 without a response: that is "not reached".
  return typeof status === "number" && status > 0 && response ? status : undefined;
}

function rateLimited(err: unknown): string | undefined {
  const headers = (err as { response?: { headers?: Record<string, string | undefined> } }).response?.headers;
  const message = errorMessage(err);
  if (/secondary rate limit/i.test(message)) return "a secondary rate limit";
  if (headers?.["x-ratelimit-remaining"] === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    const at = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
    return `the API rate limit${at}`;
  }
  return undefined;
}

/** Turns any failed request (HTTP error, network error, timeout) into an IncompleteError. */
export async function github<T>(what: string, request: () => Promise<T>, call: GitHubCall = {}): Promise<T> {
  try {
    return await request();
  } catch (err) {
    if (err instanceof ShipgateError) throw err;
    const status = answeredStatus(err);
    if (status === undefined)
      throw new IncompleteError(`GitHub could not be reached for ${what}: ${errorMessage(err)}`);
    if (status === 401)
      throw new IncompleteError(`GitHub answered 401 to ${what}: the token was rejected`, TOKEN_HINT);
    if (status === 403 || status === 429) {
      const limit = rateLimited(err);
      if (limit)
        throw new IncompleteError(
          `GitHub answered ${status} to ${what}: ${limit} was hit`,
          "wait for the limit to reset, then rerun",
        );
      throw new IncompleteError(
        `GitHub answered ${status} to ${what}: the token lacks permission for it`,
        TOKEN_HINT,
      );
    }
    if (status === 404)
      throw new IncompleteError(
        `GitHub answered 404 to ${what}: ${call.missing ?? "it"} was not found`,
        "check the name in shipgate.yaml (github.*) and that the token can see the repository",
      );
    const said = errorMessage(err)
      .replace(/ - https?:\/\/\S+$/, "")
      .split("\n")[0]
      ?.trim();
    throw new IncompleteError(`GitHub answered ${status} to ${what}${said ? `: ${said}` : ""}`);
  }
}

/** Like github(), but a 404 is an answer: null. */
export async function githubOrNull<T>(what: string, request: () => Promise<T>): Promise<T | null> {
  try {
    return await request();
  } catch (err) {
    if (answeredStatus(err) === 404) return null;
    return github(what, () => Promise.reject(err));
  }
}

/** Like github(), but a 404 answer is null: the thing asked for is not there (yet). */
export async function githubOrAbsent<T>(what: string, request: () => Promise<T>): Promise<T | null> {
  try {
    return await request();
  } catch (err) {
    const { status, response } = err as { status?: number; response?: unknown };
    if (status === 404 && response) return null;
    return github(what, () => Promise.reject(err));
  }
}
