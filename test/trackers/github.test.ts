// The GitHub tracker and run enrichment against the loopback GitHub speaking GitHub's REST shapes.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../../scripts/loopback/github.js";
import { runCli } from "../helpers/cli.js";
import { FILE_PUBLISH_BLOCKER, initArgs, releaseRepo } from "../helpers/demo-repo.js";
import { type TempRepo, tempDir } from "../helpers/repo.js";

const TOKEN = `ghp_${"T0k3n".repeat(8)}`;
const FILE = FILE_PUBLISH_BLOCKER;

describe("github tracker", () => {
  let gh: GitHubStandIn;
  let repo: TempRepo;
  beforeEach(async () => {
    gh = await startGitHubStandIn({ token: TOKEN, repos: ["acme/widget"] });
  });
  afterEach(async () => {
    repo?.cleanup();
    await gh.close();
  });
  const issues = () => gh.repo().issues;
  const failAll = (status: number) => gh.fail("/**", { status });

  const setup = async (mode: "live" | "dry-run" = "live") => {
    repo = releaseRepo(
      "tracker: { kind: github, repo: acme/widget }\ngates:\n  - { id: lint, name: Lint, run: 'exit 1' }\n",
    );
    await runCli(initArgs(mode), { cwd: repo.dir });
    return { SHIPGATE_GITHUB_API_URL: gh.url, GH_TOKEN: TOKEN, GITHUB_TOKEN: "" };
  };
  const ledgerFile = () => path.join(repo.dir, ".shipgate/v0.3.0/evidence.json");

  it("a live tag asks GitHub's epic first: refused (exit 1) on its open task, exit 3 when GitHub answers 500", async () => {
    const env = await setup();
    const remote = tempDir("shipgate-remote-");
    repo.git("init", "-q", "--bare", remote);
    repo.git("remote", "add", "origin", remote);
    const tag = ["tag", "--release-target", "v0.3.0", "--json"];
    try {
      expect((await runCli(FILE, { cwd: repo.dir, env })).code).toBe(0);
      const task = issues()[1];
      const refused = await runCli(tag, { cwd: repo.dir, env });
      expect(refused.code).toBe(1);
      expect(refused.json<{ problems: { kind: string; id: string }[] }>().problems[0]).toMatchObject({
        kind: "blocker",
        id: String(task?.number),
      });
      failAll(500);
      const down = await runCli(tag, { cwd: repo.dir, env });
      expect(down.code).toBe(3);
      expect(down.stdout + down.stderr).not.toContain(TOKEN);
      expect(repo.git("ls-remote", "--tags", "origin")).toBe("");
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });

  it("files the same blocker three times as one epic and one task listed in the epic", async () => {
    const env = await setup();
    for (let i = 0; i < 3; i++) expect((await runCli(FILE, { cwd: repo.dir, env })).code).toBe(0);
    expect(issues().map((i) => i.title)).toEqual([
      "Release blockers: v0.3.0",
      "[release-blocker][v0.3.0] publish run failed",
    ]);
    expect(issues().every((i) => i.labels.includes("release-blocker"))).toBe(true);
    const [epic, task] = issues();
    expect(task?.body).toContain(`Part of #${epic?.number}`);
    expect(epic?.body).toContain(`- [ ] #${task?.number} [release-blocker][v0.3.0] publish run failed`);
    const list = await runCli(["blockers", "list", "--release-target", "v0.3.0", "--json"], {
      cwd: repo.dir,
      env,
    });
    expect(list.code).toBe(1);
    expect(list.json()).toMatchObject({
      tracker: "github",
      tasks: [{ id: String(task?.number), open: true, url: `${gh.url}/acme/widget/issues/${task?.number}` }],
    });
    expect((await runCli(["blockers", "close", String(task?.number)], { cwd: repo.dir, env })).code).toBe(0);
    expect(issues()[1]?.state).toBe("closed");
  });

  it("adds the run URL, failed jobs, failing command and a redacted log excerpt", async () => {
    const env = await setup();
    gh.repo().addWorkflow({ path: ".github/workflows/release-publish.yml", name: "release-publish" });
    const run = gh.repo().addRun({
      workflow: "release-publish.yml",
      conclusion: "failure",
      jobs: [
        { name: "publish-npm", conclusion: "failure" },
        { name: "publish-pypi", conclusion: "success" },
      ],
    });
    const runId = String(run.id);
    const runUrl = `${gh.url}/acme/widget/actions/runs/${runId}`;
    const planted = `npm_${"x".repeat(36)}`;
    repo.write("run.log", `npm notice Publishing\nnpm ERR! 403 with ${planted}\n`);
    const res = await runCli(
      [
        ...FILE,
        "--run-id",
        runId,
        "--failing-command",
        "npm publish --provenance",
        "--log-snippet-file",
        "run.log",
      ],
      { cwd: repo.dir, env },
    );
    expect(res.code).toBe(0);
    const body = issues()[1]?.body ?? "";
    expect(body).toContain(`- Workflow run: ${runId} ${runUrl}`);
    expect(body).toContain("- Failed jobs: publish-npm");
    expect(body).not.toContain("publish-pypi");
    expect(body).toContain("- Failing command: `npm publish --provenance`");
    expect(body).toContain("npm notice Publishing");
    expect(JSON.parse(readFileSync(ledgerFile(), "utf8")).checkpoint).toMatchObject({
      lastRunId: runId,
      lastRunUrl: runUrl,
    });
    for (const sent of [...gh.requests.map((r) => r.body), readFileSync(ledgerFile(), "utf8")]) {
      expect(sent).not.toContain(planted);
      expect(sent).not.toContain(TOKEN);
    }
  });

  it.each([
    [401, /GitHub answered 401 .*the token was rejected/],
    [500, /GitHub answered 500/],
  ])(
    "is incomplete (exit 3) when GitHub answers %i, and the ledger is unchanged",
    async (status, message) => {
      const env = await setup();
      const before = readFileSync(ledgerFile());
      failAll(status);
      const res = await runCli([...FILE, "--json"], { cwd: repo.dir, env });
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(message);
      expect(res.json()).toMatchObject({ ok: false, exitCode: 3 });
      expect(readFileSync(ledgerFile()).equals(before)).toBe(true);
    },
  );

  it("is incomplete without a token, and when the server cannot be reached", async () => {
    const env = await setup();
    const noToken = await runCli(FILE, {
      cwd: repo.dir,
      env: { ...env, GH_TOKEN: "", PATH: "/usr/bin:/bin" },
    });
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toContain("no GitHub token");
    const down = await runCli(FILE, {
      cwd: repo.dir,
      env: { ...env, SHIPGATE_GITHUB_API_URL: "http://127.0.0.1:9" },
    });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("GitHub could not be reached");
  });

  it("files from a live gate run but only records what it would file in a dry run", async () => {
    const liveEnv = await setup("live");
    expect(
      (await runCli(["gates", "--release-target", "v0.3.0"], { cwd: repo.dir, env: liveEnv })).code,
    ).toBe(1);
    expect(issues().map((i) => i.title)).toEqual([
      "Release blockers: v0.3.0",
      "[release-blocker][v0.3.0] Lint",
    ]);
    repo.cleanup();
    await gh.close();
    gh = await startGitHubStandIn({ token: TOKEN, repos: ["acme/widget"] });

    const dryEnv = await setup("dry-run");
    expect((await runCli(["gates", "--release-target", "v0.3.0"], { cwd: repo.dir, env: dryEnv })).code).toBe(
      1,
    );
    expect(gh.mutating()).toEqual([]);
    const events = JSON.parse(readFileSync(ledgerFile(), "utf8")).events;
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "blocker-would-file",
        data: expect.objectContaining({ title: "[release-blocker][v0.3.0] Lint" }),
      }),
    );
  });
});
