// The GitHub REST client: token discovery, API base URL, repository resolution and fail-closed errors.
import type { Octokit } from "@octokit/rest";
import type { GithubConfig } from "../config/base.js";
import { originRepoSlug } from "../context/git.js";
import { errorMessage, IncompleteError, UsageError } from "../errors.js";
import { redactor } from "../evidence/redact.js";

const REQUEST_TIMEOUT_MS = 30_000;

export interface GitHubTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
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

export async function githubFor(
  settings: GithubConfig,
  repoRoot: string,
  overrides: { repo?: string | undefined; apiUrl?: string | undefined; timeoutMs?: number | undefined } = {},
): Promise<GitHubTarget> {
  const { owner, repo } = await resolveRepo(repoRoot, overrides.repo ?? settings.repo);
  const baseUrl = githubApiUrl(overrides.apiUrl ?? settings.apiUrl);
  // Loaded on first use: only GitHub-facing commands pay for the client's import time.
  const { Octokit } = await import("@octokit/rest");
  const octokit = new Octokit({
    auth: await githubToken(),
    ...(baseUrl ? { baseUrl } : {}),
    userAgent: "shipgate",
    // A fresh timeout per request: nothing may hang a release on a silent server. A caller's own signal
    // (e.g. the end of a propagation window) still aborts the request.
    request: {
      fetch: (url: string | URL, init?: RequestInit) => {
        const timeout = AbortSignal.timeout(overrides.timeoutMs ?? REQUEST_TIMEOUT_MS);
        const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
        return fetch(url, { ...init, signal });
      },
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit, owner, repo };
}

/** Turns any failed request (HTTP error, network error, timeout) into an IncompleteError. */
export async function github<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    const { status, response } = err as { status?: number; response?: unknown };
    // Octokit reports a failed connection as status 500 without a response: that is "not reached".
    if (typeof status === "number" && status > 0 && response) {
      const hint =
        status === 401
          ? "the token was rejected"
          : status === 403
            ? "the token lacks permission or hit a rate limit"
            : undefined;
      throw new IncompleteError(`GitHub answered ${status} to ${what}${hint ? `: ${hint}` : ""}`);
    }
    throw new IncompleteError(`GitHub could not be reached for ${what}: ${errorMessage(err)}`);
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
