// The GitHub client against the loopback GitHub: a 5xx and a secondary rate limit are retried with
// backoff, a 401 is incomplete with the token hint, a 404 names the missing thing, a wrong shape names
// the endpoint; a dispatch is never retried, and the run it started is told apart from concurrent ones.
// Also the tap check a live publish makes: skipped only when Homebrew is not configured.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, rateLimitFault, startGitHubStandIn } from "../../scripts/loopback/github.js";
import { githubConfigSchema } from "../../src/config/base.js";
import { configSchema } from "../../src/config/schema.js";
import { IncompleteError } from "../../src/errors.js";
import { type GitHubTarget, githubFor } from "../../src/github/client.js";
import { dispatchRunsBefore, dispatchWorkflow, findDispatchedRun } from "../../src/github/dispatch.js";
import { getRun, getWorkflow } from "../../src/github/runs.js";
import { withInvocation } from "../../src/memo.js";
import { checkTap } from "../../src/pipeline/tap-check.js";

const TOKEN = `ghp_${"Cl13nt".repeat(6)}`;
const RUN = "GET /repos/acme/widget/actions/runs/*";
let gh: GitHubStandIn;
const saved = { ...process.env };

beforeEach(async () => {
  gh = await startGitHubStandIn({ token: TOKEN, repos: ["acme/widget"] });
  gh.repo().addWorkflow({ path: "release.yml", name: "release" });
  gh.repo().addWorkflow({ path: "release-publish.yml", name: "release-publish" });
  Object.assign(process.env, { GH_TOKEN: TOKEN, GITHUB_TOKEN: "" });
});
afterEach(async () => {
  await gh.close();
  process.env = { ...saved };
});

const client = () =>
  githubFor(githubConfigSchema.parse({ repo: "acme/widget", apiUrl: gh.url }), process.cwd());
const poll = (ms = 1000) => ({ deadline: Date.now() + ms, intervalMs: 5, maxIntervalMs: 20 });

describe("GitHub client", () => {
  it("retries a 500 and a secondary rate limit, then answers", async () => {
    const run = gh.repo().addRun({ workflow: "release.yml" });
    const fault = gh.fail(RUN, { status: 500, times: 1, body: { message: "Server Error" } });
    expect((await getRun(await client(), run.id)).id).toBe(run.id);
    expect(fault.hits).toBe(1);
    expect(gh.find(RUN)).toHaveLength(2);

    gh.fail(RUN, {
      status: 403,
      times: 1,
      headers: { "retry-after": "1" },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    });
    expect((await getRun(await client(), run.id)).conclusion).toBe("success");
    expect(gh.find(RUN)).toHaveLength(4);
  });

  it("gives up after its retries, and maps 401, 403 rate limits, 404 and wrong shapes to incomplete", async () => {
    const run = gh.repo().addRun({ workflow: "release.yml" });
    gh.fail(RUN, { status: 502 });
    await expect(getRun(await client(), run.id)).rejects.toThrow(/GitHub answered 502 to GET run/);
    expect(gh.find(RUN)).toHaveLength(4);
    gh.clearFaults();

    process.env.GH_TOKEN = "ghp_rejectedrejectedrejectedrejected";
    const rejected = await getRun(await client(), run.id).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(IncompleteError);
    expect((rejected as IncompleteError).message).toBe(
      `GitHub answered 401 to GET run ${run.id}: the token was rejected`,
    );
    expect((rejected as IncompleteError).hint).toMatch(/GH_TOKEN .* `repo` and `workflow` scopes/);
    process.env.GH_TOKEN = TOKEN;

    gh.fail(RUN, rateLimitFault({ times: 1 }));
    await expect(getRun(await client(), run.id)).rejects.toThrow(/403 .*the API rate limit until .* was hit/);
    await expect(getRun(await client(), 42)).rejects.toThrow(
      "GitHub answered 404 to GET run 42: run 42 of acme/widget was not found",
    );
    expect(await getWorkflow(await client(), "missing.yml")).toBeNull();
    gh.fail(RUN, { status: 200, body: { id: "seven" } });
    await expect(getRun(await client(), run.id)).rejects.toThrow(
      `GitHub answered GET run ${run.id} with an unexpected shape: id:`,
    );
  });

  it("never retries a dispatch, and finds the run it started among concurrent ones", async () => {
    const hub = gh.repo();
    const octo = await client();
    gh.fail("POST /repos/acme/widget/actions/workflows/*/dispatches", { status: 502, times: 1 });
    await expect(
      dispatchWorkflow(octo, "release-publish.yml", "main", { rehearsal: "true" }),
    ).rejects.toThrow(/502/);
    expect(gh.find("POST /repos/acme/widget/actions/workflows/*/dispatches")).toHaveLength(1);
    expect(hub.dispatches).toHaveLength(0);

    // Without run details, as before GitHub offered them: a run that existed before, a concurrent
    // dispatch on another branch, and ours.
    hub.returnRunDetails = false;
    hub.setBranch("other", "9".repeat(40));
    const before = hub.addRun({
      workflow: "release-publish.yml",
      event: "workflow_dispatch",
      headBranch: "main",
    });
    hub.onDispatch("release-publish.yml", () => {
      hub.addRun({
        workflow: "release-publish.yml",
        event: "workflow_dispatch",
        headBranch: "other",
        headSha: "9".repeat(40),
      });
      return { conclusion: "success", visibleAfterMs: 30 };
    });
    const exclude = await dispatchRunsBefore(octo, "release-publish.yml");
    expect(exclude).toEqual([before.id]);
    const sent = await dispatchWorkflow(octo, "release-publish.yml", "main", { rehearsal: "true" });
    expect(sent.runId).toBeUndefined();
    const match = { workflow: "release-publish.yml", ref: "main", since: sent.at, exclude };
    const ours = hub.dispatches[0]?.runId;
    expect((await findDispatchedRun(octo, match, poll()))?.id).toBe(ours);

    // With run details the named run is used, and checked.
    hub.returnRunDetails = true;
    hub.onDispatch("release-publish.yml", () => ({ conclusion: "success" }));
    const named = await dispatchWorkflow(octo, "release-publish.yml", "main", { rehearsal: "false" });
    expect(named.runId).toBe(hub.dispatches[1]?.runId);
    expect((await findDispatchedRun(octo, match, poll(), named.runId))?.id).toBe(named.runId);
    const push = hub.addRun({ workflow: "release.yml", event: "push" });
    await expect(findDispatchedRun(octo, match, poll(), push.id)).rejects.toThrow(
      /not a workflow_dispatch run/,
    );

    // Two unknown matching runs: which one is ours cannot be told.
    hub.addRun({ workflow: "release-publish.yml", event: "workflow_dispatch", headBranch: "main" });
    hub.addRun({ workflow: "release-publish.yml", event: "workflow_dispatch", headBranch: "main" });
    await expect(findDispatchedRun(octo, { ...match, exclude: [before.id] }, poll())).rejects.toThrow(
      /cannot tell which run the dispatch started/,
    );
    // None: null once the deadline passed.
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(await findDispatchedRun(octo, { ...match, since: later }, poll(50))).toBeNull();
  });
});

describe("the client of one invocation", () => {
  it("is built once per repository and API: `gh auth token` runs once, and again in the next invocation", async () => {
    // No token in the environment: the client asks a `gh` on PATH, which counts its calls.
    const bin = mkdtempSync(path.join(os.tmpdir(), "shipgate-gh-"));
    const calls = path.join(bin, "calls");
    writeFileSync(path.join(bin, "gh"), `#!/bin/sh\necho "$*" >> "${calls}"\necho ${TOKEN}\n`, {
      mode: 0o755,
    });
    Object.assign(process.env, { GH_TOKEN: "", GITHUB_TOKEN: "", PATH: `${bin}:${saved.PATH}` });
    const settings = githubConfigSchema.parse({ repo: "acme/widget", apiUrl: gh.url });
    const count = () => readFileSync(calls, "utf8").trim().split("\n").length;
    try {
      const [a, b] = await withInvocation(async () => [
        await githubFor(settings, process.cwd()),
        await githubFor(settings, process.cwd()),
      ]);
      expect(a).toBe(b);
      expect(count()).toBe(1);
      expect((await getWorkflow(a as GitHubTarget, "release.yml"))?.path).toBe(
        ".github/workflows/release.yml",
      );
      const other = await withInvocation(() => githubFor(settings, process.cwd()));
      expect(other).not.toBe(a);
      expect(count()).toBe(2);
      // Outside any invocation nothing is remembered.
      await githubFor(settings, process.cwd());
      await githubFor(settings, process.cwd());
      expect(count()).toBe(4);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe("the Homebrew tap check before a live publish", () => {
  const config = (homebrew?: object) =>
    configSchema.parse({
      github: { repo: "acme/widget", apiUrl: gh.url },
      ...(homebrew ? { homebrew } : {}),
    });
  const brew = { tapRepo: "acme/homebrew-tap", formulaPath: "Formula/widget.rb" };
  const options = async (c: ReturnType<typeof config>, buildRunId = 1) => ({
    config: c,
    repoRoot: process.cwd(),
    gh: await client(),
    tag: "v0.3.0",
    version: "0.3.0",
    buildRunId,
    rerun: ["shipgate", "publish"],
  });

  it("is skipped, with its reason, only when no tap is configured; undecidable is incomplete", async () => {
    const skipped = await checkTap(await options(config()));
    expect(skipped).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining("homebrew is not configured"),
    });
    await expect(checkTap(await options(config(brew)))).rejects.toThrow(/homebrew.assetTemplate is not set/);

    gh.addRepo("acme/homebrew-tap");
    const withTemplate = config({ ...brew, assetTemplate: "widget_{version}_{platform}.tar.gz" });
    const missing = await checkTap(await options(withTemplate));
    expect(missing).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("acme/homebrew-tap has no Formula/widget.rb"),
    });

    gh.repo("acme/homebrew-tap").setContent(
      "Formula/widget.rb",
      'class Widget < Formula\n  version "0.3.0"\nend\n',
    );
    const run = gh
      .repo()
      .addRun({ workflow: "release.yml", artifacts: [{ name: "sdk", files: { "README.txt": "no sums" } }] });
    await expect(checkTap(await options(withTemplate, run.id))).rejects.toThrow(
      `build run ${run.id} has no sha256sums.txt in its artifacts (sdk)`,
    );
  });
});
