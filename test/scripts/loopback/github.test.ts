// The GitHub stand-in answers @octokit/rest (the client shipgate uses) and plain fetch with GitHub's
// documented paths, shapes, status codes and redirects, and its scripted state behaves like GitHub's.
import { createHash } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { type GitHubStandIn, rateLimitFault, startGitHubStandIn } from "../../../scripts/loopback/github.js";

const TOKEN = "ghp_standInToken0123456789abcdefghijklmn";
let gh: GitHubStandIn;
let octokit: Octokit;
const owner = "acme";
const repo = "widget";

function client(auth: string | undefined, baseUrl: string): Octokit {
  return new Octokit({
    ...(auth ? { auth } : {}),
    baseUrl,
    userAgent: "shipgate-test",
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

async function unzip(data: ArrayBuffer | Buffer): Promise<Record<string, string>> {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const files: Record<string, string> = {};
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            files[entry.fileName] = Buffer.concat(chunks).toString("utf8");
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(files));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

beforeEach(async () => {
  gh = await startGitHubStandIn({ token: TOKEN, repos: ["acme/widget", "acme/homebrew-tap"] });
  octokit = client(TOKEN, gh.url);
});

afterEach(async () => {
  await gh.close();
});

/** Asks `probe` every 20 ms until it returns something (at most 10 s: then the test fails). */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("never happened within 10 s");
}

describe("GitHub stand-in: auth and faults", () => {
  it("accepts `token X` and `Bearer X`, and answers a missing or wrong token with GitHub's 401", async () => {
    for (const auth of [`token ${TOKEN}`, `Bearer ${TOKEN}`]) {
      const res = await fetch(`${gh.url}/repos/acme/widget`, { headers: { authorization: auth } });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBe("5000");
    }
    const missing = await fetch(`${gh.url}/repos/acme/widget/issues`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ message: "Bad credentials", status: "401" });
    await expect(client("ghp_wrong", gh.url).rest.issues.listForRepo({ owner, repo })).rejects.toMatchObject({
      status: 401,
    });
    await expect(octokit.rest.repos.get({ owner, repo: "nope" })).rejects.toMatchObject({ status: 404 });
    expect(JSON.stringify(gh.requests)).not.toContain(TOKEN);
  });

  it("injects GitHub-shaped faults: 500 once then success, a rate-limit 403", async () => {
    gh.fail("GET /repos/acme/widget/issues", { status: 500, times: 1 });
    await expect(octokit.rest.issues.listForRepo({ owner, repo })).rejects.toMatchObject({ status: 500 });
    expect((await octokit.rest.issues.listForRepo({ owner, repo })).status).toBe(200);

    gh.fail("GET /repos/acme/widget", rateLimitFault({ times: 1 }));
    const err = (await octokit.rest.repos.get({ owner, repo }).catch((e: unknown) => e)) as {
      status: number;
      response: { headers: Record<string, string> };
    };
    expect(err.status).toBe(403);
    expect(err.response.headers["x-ratelimit-remaining"]).toBe("0");
  });
});

describe("GitHub stand-in: issues", () => {
  it("creates, gets, updates and paginates issues past number 10, filtering by label and state", async () => {
    const r = gh.repo();
    r.setNextIssueNumber(8);
    r.addIssue({ title: "a pull request", labels: ["release-blocker"], pullRequest: true });
    for (let i = 0; i < 24; i++) {
      const { data, status } = await octokit.rest.issues.create({
        owner,
        repo,
        title: `blocker ${i}`,
        body: "b",
        labels: i % 2 ? ["release-blocker"] : ["other"],
      });
      expect(status).toBe(201);
      expect(data.number).toBe(9 + i);
      expect(data.html_url).toBe(`${gh.url}/acme/widget/issues/${data.number}`);
    }
    await octokit.rest.issues.update({ owner, repo, issue_number: 12, state: "closed" });
    const { data: closed } = await octokit.rest.issues.get({ owner, repo, issue_number: 12 });
    expect(closed).toMatchObject({
      number: 12,
      state: "closed",
      state_reason: "completed",
      title: "blocker 3",
    });
    expect(closed.closed_at).not.toBeNull();

    const labelled = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: "release-blocker",
      state: "all",
      per_page: 5,
    });
    expect(labelled).toHaveLength(13);
    expect(labelled.filter((i) => i.pull_request)).toHaveLength(1);
    expect(new Set(labelled.map((i) => i.number)).size).toBe(13);
    const open = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: "release-blocker",
    });
    expect(open.map((i) => i.number)).not.toContain(12);
    // Five pages of five: GitHub's Link header names next and last.
    const pages = gh.find("GET /repos/acme/widget/issues").filter((q) => q.query.per_page === "5");
    expect(pages.map((q) => q.query.page ?? "1")).toEqual(["1", "2", "3"]);

    const res = await fetch(`${gh.url}/repos/acme/widget/issues?per_page=10&state=all`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    expect(res.headers.get("link")).toMatch(/[?&]page=2>; rel="next", <[^>]*[?&]page=3>; rel="last"/);
    // Newest first, as GitHub sorts by default.
    const first = (await res.json()) as { number: number }[];
    expect(first[0]!.number).toBe(32);

    await expect(octokit.rest.issues.create({ owner, repo, title: "" })).rejects.toMatchObject({
      status: 422,
    });
    expect(gh.mutating().filter((q) => q.method === "POST")).toHaveLength(25);
  });
});

describe("GitHub stand-in: Actions", () => {
  beforeEach(() => {
    const r = gh.repo();
    r.addWorkflow({ path: "release.yml", name: "release" });
    r.addWorkflow({
      path: ".github/workflows/release-publish.yml",
      name: "release-publish",
      dispatch: { inputs: ["build_run_id", "rehearsal", "allow_partial_release"] },
    });
    r.addWorkflow({ path: "ci.yml", name: "ci", dispatch: false });
  });

  it("lists workflows and gets one by file name or id", async () => {
    const { data } = await octokit.rest.actions.listRepoWorkflows({ owner, repo });
    expect(data.total_count).toBe(3);
    const { data: wf } = await octokit.rest.actions.getWorkflow({
      owner,
      repo,
      workflow_id: "release-publish.yml",
    });
    expect(wf).toMatchObject({
      name: "release-publish",
      path: ".github/workflows/release-publish.yml",
      state: "active",
    });
    const { data: same } = await octokit.rest.actions.getWorkflow({ owner, repo, workflow_id: wf.id });
    expect(same.id).toBe(wf.id);
    await octokit.rest.actions.disableWorkflow({ owner, repo, workflow_id: "ci.yml" });
    expect((await octokit.rest.actions.getWorkflow({ owner, repo, workflow_id: "ci.yml" })).data.state).toBe(
      "disabled_manually",
    );
    await expect(
      octokit.rest.actions.getWorkflow({ owner, repo, workflow_id: "nope.yml" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("lists runs with event/head_sha/branch/status/created filters and serves jobs, logs and artifacts", async () => {
    const r = gh.repo();
    const tag = r.addTag("v1.2.3");
    const old = r.addRun({
      workflow: "release.yml",
      event: "push",
      headSha: tag.commitSha,
      headBranch: "v1.2.3",
      conclusion: "failure",
      createdAt: "2024-01-01T10:00:00Z",
      jobs: [
        { name: "build-linux", conclusion: "failure", log: "error: linker failed\n" },
        { name: "build-mac", conclusion: "success" },
      ],
    });
    const good = r.addRun({
      workflow: "release.yml",
      event: "push",
      headSha: tag.commitSha,
      headBranch: "v1.2.3",
      jobs: [{ name: "build-linux", log: "ok\n" }],
      artifacts: [
        {
          name: "release-metadata",
          files: {
            "metadata.json": JSON.stringify({
              tag: "v1.2.3",
              version: "1.2.3",
              source_sha: tag.commitSha,
              source_ref: "refs/tags/v1.2.3",
            }),
          },
        },
      ],
    });
    r.addRun({ workflow: "ci.yml", event: "pull_request", headBranch: "feature" });

    const all = await octokit.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: "release.yml" });
    expect(all.data.total_count).toBe(2);
    expect(all.data.workflow_runs.map((x) => x.id)).toEqual([good.id, old.id]);
    const run = all.data.workflow_runs[0]!;
    expect(run).toMatchObject({
      status: "completed",
      conclusion: "success",
      head_sha: tag.commitSha,
      head_branch: "v1.2.3",
      event: "push",
      path: ".github/workflows/release.yml",
      run_attempt: 1,
      name: "release",
      html_url: `${gh.url}/acme/widget/actions/runs/${good.id}`,
    });
    expect(run.workflow_id).toBe(r.workflow("release.yml")!.id);
    expect(Date.parse(run.created_at)).not.toBeNaN();

    const list = (q: Record<string, string>) =>
      octokit.rest.actions
        .listWorkflowRuns({ owner, repo, workflow_id: "release.yml", ...q })
        .then((x) => x.data.workflow_runs.map((y) => y.id));
    expect(await list({ status: "success" })).toEqual([good.id]);
    expect(await list({ status: "failure" })).toEqual([old.id]);
    expect(await list({ status: "completed" })).toEqual([good.id, old.id]);
    expect(await list({ head_sha: tag.commitSha, branch: "v1.2.3", event: "push" })).toHaveLength(2);
    expect(await list({ event: "workflow_dispatch" })).toEqual([]);
    expect(await list({ created: "<2024-01-02" })).toEqual([old.id]);
    expect(await list({ created: "2024-01-01" })).toEqual([old.id]);
    expect(await list({ created: ">=2025-01-01" })).toEqual([good.id]);
    const repoWide = (q: Record<string, string>) =>
      octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, ...q }).then((x) => x.data.total_count);
    expect(await repoWide({ head_sha: tag.commitSha })).toBe(3);
    expect(await repoWide({ head_sha: tag.commitSha, event: "pull_request" })).toBe(1);

    const jobs = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRun, {
      owner,
      repo,
      run_id: old.id,
      per_page: 1,
    });
    expect(jobs.map((j) => [j.name, j.status, j.conclusion])).toEqual([
      ["build-linux", "completed", "failure"],
      ["build-mac", "completed", "success"],
    ]);
    expect(jobs[0]!.steps?.map((s) => s.conclusion)).toEqual(["success", "failure"]);

    // Job logs: a 302 to a download URL; octokit follows it and hands back the text.
    const manual = await fetch(`${gh.url}/repos/acme/widget/actions/jobs/${jobs[0]!.id}/logs`, {
      headers: { authorization: `token ${TOKEN}` },
      redirect: "manual",
    });
    expect(manual.status).toBe(302);
    expect(manual.headers.get("location")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_blobs\//);
    const log = await octokit.rest.actions.downloadJobLogsForWorkflowRun({
      owner,
      repo,
      job_id: jobs[0]!.id,
    });
    expect(log.data).toBe("error: linker failed\n");
    await expect(
      octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner, repo, job_id: jobs[1]!.id }),
    ).rejects.toMatchObject({ status: 404 });

    // Artifacts: listed with GitHub's fields, downloaded as a real zip after a 302.
    const { data: arts } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner,
      repo,
      run_id: good.id,
    });
    expect(arts.total_count).toBe(1);
    const art = arts.artifacts[0]!;
    expect(art).toMatchObject({ name: "release-metadata", expired: false });
    expect(art.archive_download_url).toBe(`${gh.url}/repos/acme/widget/actions/artifacts/${art.id}/zip`);
    expect(art.workflow_run?.id).toBe(good.id);
    const zip = await octokit.rest.actions.downloadArtifact({
      owner,
      repo,
      artifact_id: art.id,
      archive_format: "zip",
    });
    expect(art.size_in_bytes).toBe((zip.data as ArrayBuffer).byteLength);
    const files = await unzip(zip.data as ArrayBuffer);
    expect(JSON.parse(files["metadata.json"]!)).toMatchObject({ tag: "v1.2.3", version: "1.2.3" });
    const byName = await octokit.rest.actions.listArtifactsForRepo({ owner, repo, name: "release-metadata" });
    expect(byName.data.artifacts.map((a) => a.id)).toEqual([art.id]);
  });

  it("dispatches: 204, a new queued run that completes after polls with the scripted outcome", async () => {
    const r = gh.repo();
    r.addTag("v1.2.3");
    r.onDispatch("release-publish.yml", ({ inputs }) => ({
      conclusion: inputs.rehearsal === "true" ? "success" : "failure",
      completeAfterPolls: 2,
      jobs: [
        {
          name: "publish-npm",
          conclusion: inputs.rehearsal === "true" ? "success" : "failure",
          log: "E403 npm\n",
        },
      ],
    }));
    const dispatched = await octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: "release-publish.yml",
      ref: "v1.2.3",
      inputs: { build_run_id: "7000000001", rehearsal: "false", allow_partial_release: "false" },
    });
    expect(dispatched.status).toBe(204);
    expect(r.dispatches).toHaveLength(1);
    expect(r.dispatches[0]!.inputs).toMatchObject({ rehearsal: "false" });

    const { data } = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: "release-publish.yml",
      event: "workflow_dispatch",
    });
    const created = data.workflow_runs[0]!;
    expect(created).toMatchObject({
      status: "queued",
      conclusion: null,
      head_branch: "v1.2.3",
      event: "workflow_dispatch",
    });
    expect(created.head_sha).toBe(r.resolveCommit("v1.2.3"));
    const seen: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const { data: polled } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: created.id });
      seen.push(`${polled.status}/${polled.conclusion}`);
    }
    expect(seen).toEqual(["in_progress/null", "completed/failure", "completed/failure"]);
    const jobs = await octokit.rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: created.id });
    expect(jobs.data.jobs[0]).toMatchObject({ name: "publish-npm", conclusion: "failure" });

    // return_run_details answers 200 with the run id.
    const details = await octokit.request(
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
      {
        owner,
        repo,
        workflow_id: "release-publish.yml",
        ref: "v1.2.3",
        inputs: { rehearsal: "true" },
        return_run_details: true,
      },
    );
    expect(details.status).toBe(200);
    const runId = (details.data as { workflow_run_id: number }).workflow_run_id;
    r.completeRun(runId);
    expect((await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId })).data.conclusion).toBe(
      "success",
    );
  });

  it("refuses dispatches GitHub refuses: unknown inputs, no trigger, disabled, unknown ref", async () => {
    const r = gh.repo();
    const dispatch = (workflow_id: string, ref: string, inputs: Record<string, string> = {}) =>
      octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id, ref, inputs });
    await expect(dispatch("release-publish.yml", "main", { skip_everything: "true" })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Unexpected inputs provided"),
    });
    await expect(dispatch("ci.yml", "main")).rejects.toMatchObject({ status: 422 });
    await expect(dispatch("release-publish.yml", "v9.9.9")).rejects.toMatchObject({ status: 422 });
    r.workflow("release.yml")!.state = "disabled_manually";
    await expect(dispatch("release.yml", "main")).rejects.toMatchObject({ status: 422 });
    await expect(dispatch("missing.yml", "main")).rejects.toMatchObject({ status: 404 });
    expect(r.runs).toHaveLength(0);
  });

  it("keeps a dispatched run out of sight until it appears, and artifacts until the run completes", async () => {
    const r = gh.repo();
    // Completion counted in observations, not milliseconds, so a loaded machine cannot reorder it.
    r.onDispatch("release.yml", () => ({
      visibleAfterMs: 300,
      completeAfterPolls: 2,
      artifacts: [{ name: "release-metadata", files: { "metadata.json": "{}" } }],
    }));
    await octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: "release.yml",
      ref: "main",
    });
    const runs = () => octokit.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: "release.yml" });
    expect((await runs()).data.total_count).toBe(0);
    const run = await until(async () => (await runs()).data.workflow_runs[0]);
    expect(run.status).not.toBe("completed");
    const early = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run.id });
    expect(early.data.total_count).toBe(0);
    // Observed again until it completes (the second observation at the latest answers completed).
    const polls = { n: 0 };
    await until(async () => {
      polls.n++;
      const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: run.id });
      return data.status === "completed" ? data : undefined;
    });
    expect(polls.n).toBeLessThanOrEqual(2);
    const late = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run.id });
    expect(late.data.total_count).toBe(1);
  });

  it("completes a run scripted in milliseconds only once that time has passed", async () => {
    const r = gh.repo();
    r.onDispatch("release.yml", () => ({ completeAfterMs: 1_500 }));
    const dispatched = Date.now();
    await octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: "release.yml",
      ref: "main",
    });
    const [run] = (await octokit.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: "release.yml" }))
      .data.workflow_runs;
    // Asked well before 1.5 s, unless this machine stalled that long (then there is nothing to check).
    if (Date.now() - dispatched < 1_000) expect(run?.status).not.toBe("completed");
    const done = await until(async () => {
      const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: run!.id });
      return data.status === "completed" ? data : undefined;
    });
    expect(Date.now() - dispatched).toBeGreaterThanOrEqual(1_500);
    expect(done.conclusion).toBe("success");
  });

  it("lists Actions secrets by name only", async () => {
    const r = gh.repo();
    for (const name of ["PYPI_API_TOKEN", "NPM_TOKEN"]) r.addSecret(name);
    const { data } = await octokit.rest.actions.listRepoSecrets({ owner, repo });
    expect(data.total_count).toBe(2);
    expect(data.secrets.map((s) => s.name)).toEqual(["NPM_TOKEN", "PYPI_API_TOKEN"]);
    expect(Object.keys(data.secrets[0]!).sort()).toEqual(["created_at", "name", "updated_at"]);
    await expect(
      octokit.rest.actions.getRepoSecret({ owner, repo, secret_name: "CARGO_REGISTRY_TOKEN" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("GitHub stand-in: git data, checks, releases, contents", () => {
  it("answers refs, matching refs and annotated tag objects", async () => {
    const r = gh.repo();
    const annotated = r.addTag("v1.2.3", { message: "v1.2.3\n" });
    const light = r.addTag("v1.2.3-rc.1", { annotated: false });
    const { data: ref } = await octokit.rest.git.getRef({ owner, repo, ref: "tags/v1.2.3" });
    expect(ref).toMatchObject({ ref: "refs/tags/v1.2.3", object: { type: "tag", sha: annotated.tagSha } });
    const { data: tag } = await octokit.rest.git.getTag({ owner, repo, tag_sha: annotated.tagSha! });
    expect(tag).toMatchObject({
      tag: "v1.2.3",
      message: "v1.2.3\n",
      object: { type: "commit", sha: annotated.commitSha },
    });
    const { data: lightRef } = await octokit.rest.git.getRef({ owner, repo, ref: "tags/v1.2.3-rc.1" });
    expect(lightRef.object).toMatchObject({ type: "commit", sha: light.commitSha });
    const { data: matching } = await octokit.rest.git.listMatchingRefs({ owner, repo, ref: "tags/v1.2" });
    expect(matching.map((m) => m.ref)).toEqual(["refs/tags/v1.2.3", "refs/tags/v1.2.3-rc.1"]);
    await expect(octokit.rest.git.getRef({ owner, repo, ref: "tags/v9.9.9" })).rejects.toMatchObject({
      status: 404,
    });
    const created = await octokit.rest.git.createRef({
      owner,
      repo,
      ref: "refs/tags/v2.0.0",
      sha: annotated.commitSha,
    });
    expect(created.status).toBe(201);
    await expect(
      octokit.rest.git.createRef({ owner, repo, ref: "refs/tags/v2.0.0", sha: annotated.commitSha }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("lists check runs for a commit by sha or tag", async () => {
    const r = gh.repo();
    const { commitSha } = r.addTag("v1.0.0");
    r.addCheckRun({ headSha: commitSha, name: "test", conclusion: "success" });
    r.addCheckRun({ headSha: commitSha, name: "lint", conclusion: "failure" });
    r.addCheckRun({ headSha: commitSha, name: "bench", status: "in_progress" });
    const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: "v1.0.0" });
    expect(data.total_count).toBe(3);
    expect(data.check_runs.map((c) => [c.name, c.status, c.conclusion])).toEqual([
      ["bench", "in_progress", null],
      ["lint", "completed", "failure"],
      ["test", "completed", "success"],
    ]);
    const { data: named } = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: commitSha,
      check_name: "lint",
    });
    expect(named.check_runs).toHaveLength(1);
  });

  it("serves releases by tag with assets downloadable from browser_download_url; drafts are not found by tag", async () => {
    const r = gh.repo();
    const archive = Buffer.from("pretend tarball bytes");
    r.addRelease({
      tag: "v1.2.3",
      assets: { "plasmite_1.2.3_linux_amd64.tar.gz": archive, "sha256sums.txt": "x" },
    });
    r.addRelease({ tag: "v1.3.0", draft: true });
    const { data } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: "v1.2.3" });
    expect(data).toMatchObject({ tag_name: "v1.2.3", draft: false, prerelease: false });
    expect(data.assets.map((a) => a.name)).toEqual(["plasmite_1.2.3_linux_amd64.tar.gz", "sha256sums.txt"]);
    const asset = data.assets[0]!;
    expect(asset).toMatchObject({
      state: "uploaded",
      size: archive.length,
      content_type: "application/gzip",
    });
    expect(asset.digest).toBe(`sha256:${createHash("sha256").update(archive).digest("hex")}`);
    expect(asset.browser_download_url).toBe(
      `${gh.url}/acme/widget/releases/download/v1.2.3/plasmite_1.2.3_linux_amd64.tar.gz`,
    );
    const hop = await fetch(asset.browser_download_url, { redirect: "manual" });
    expect(hop.status).toBe(302);
    const downloaded = Buffer.from(await (await fetch(asset.browser_download_url)).arrayBuffer());
    expect(downloaded.equals(archive)).toBe(true);
    const viaApi = await octokit.rest.repos.getReleaseAsset({
      owner,
      repo,
      asset_id: asset.id,
      headers: { accept: "application/octet-stream" },
    });
    expect(Buffer.from(viaApi.data as unknown as ArrayBuffer).equals(archive)).toBe(true);

    await expect(octokit.rest.repos.getReleaseByTag({ owner, repo, tag: "v1.3.0" })).rejects.toMatchObject({
      status: 404,
    });
    const all = await octokit.rest.repos.listReleases({ owner, repo });
    expect(all.data.map((x) => [x.tag_name, x.draft])).toEqual([
      ["v1.3.0", true],
      ["v1.2.3", false],
    ]);
    expect((await octokit.rest.repos.getLatestRelease({ owner, repo })).data.tag_name).toBe("v1.2.3");
  });

  it("reads repository contents at a ref and updates them with GitHub's sha checks, per repository", async () => {
    const tap = gh.repo("acme/homebrew-tap");
    tap.setContent("Formula/plasmite.rb", 'class Plasmite < Formula\n  version "0.1.0"\nend\n');
    tap.addTag("before");
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo: "homebrew-tap",
      path: "Formula/plasmite.rb",
    });
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(data.encoding).toBe("base64");
    expect(Buffer.from(data.content, "base64").toString()).toContain('version "0.1.0"');

    const content = Buffer.from('class Plasmite < Formula\n  version "0.2.0"\nend\n').toString("base64");
    const update = (sha?: string) =>
      octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo: "homebrew-tap",
        path: "Formula/plasmite.rb",
        message: "plasmite 0.2.0",
        content,
        ...(sha ? { sha } : {}),
      });
    await expect(update()).rejects.toMatchObject({ status: 422 });
    await expect(update("0".repeat(40))).rejects.toMatchObject({ status: 409 });
    const written = await update(data.sha);
    expect(written.status).toBe(200);
    expect(written.data.commit.sha).toBe(tap.headSha());
    expect(tap.getContent("Formula/plasmite.rb")).toContain('version "0.2.0"');
    // The old commit still reads the old text.
    const { data: old } = await octokit.rest.repos.getContent({
      owner,
      repo: "homebrew-tap",
      path: "Formula/plasmite.rb",
      ref: "before",
    });
    expect(Buffer.from((old as { content: string }).content, "base64").toString()).toContain('"0.1.0"');
    const { data: dir } = await octokit.rest.repos.getContent({
      owner,
      repo: "homebrew-tap",
      path: "Formula",
    });
    expect(Array.isArray(dir) && dir.map((d) => d.name)).toEqual(["plasmite.rb"]);
    await expect(
      octokit.rest.repos.getContent({ owner, repo: "homebrew-tap", path: "Formula/other.rb" }),
    ).rejects.toMatchObject({ status: 404 });
    expect(gh.repo("acme/widget").getContent("Formula/plasmite.rb")).toBeUndefined();
    expect(gh.mutating().map((q) => q.method)).toEqual(["PUT", "PUT", "PUT"]);
  });
});
