// The GitHub tracker and run enrichment against a loopback server speaking GitHub's REST shapes.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { FILE_PUBLISH_BLOCKER, initArgs, releaseRepo } from "../helpers/demo-repo.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github.js";
import { type TempRepo, tempDir } from "../helpers/repo.js";

const TOKEN = `ghp_${"T0k3n".repeat(8)}`;
const FILE = FILE_PUBLISH_BLOCKER;

describe("github tracker", () => {
  let gh: FakeGitHub;
  let repo: TempRepo;
  beforeAll(async () => {
    gh = await startFakeGitHub(TOKEN);
  });
  afterAll(() => gh.close());
  afterEach(() => {
    repo?.cleanup();
    gh.issues.length = 0;
    gh.received.length = 0;
    gh.requests.length = 0;
    gh.failWith = null;
  });

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
      const task = gh.issues[1];
      const refused = await runCli(tag, { cwd: repo.dir, env });
      expect(refused.code).toBe(1);
      expect(refused.json<{ problems: { kind: string; id: string }[] }>().problems[0]).toMatchObject({
        kind: "blocker",
        id: String(task?.number),
      });
      gh.failWith = 500;
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
    expect(gh.issues.map((i) => i.title)).toEqual([
      "Release blockers: v0.3.0",
      "[release-blocker][v0.3.0] publish run failed",
    ]);
    expect(gh.issues.every((i) => i.labels.some((l) => l.name === "release-blocker"))).toBe(true);
    const [epic, task] = gh.issues;
    expect(task?.body).toContain(`Part of #${epic?.number}`);
    expect(epic?.body).toContain(`- [ ] #${task?.number} [release-blocker][v0.3.0] publish run failed`);
    const list = await runCli(["blockers", "list", "--release-target", "v0.3.0", "--json"], {
      cwd: repo.dir,
      env,
    });
    expect(list.code).toBe(1);
    expect(list.json()).toMatchObject({
      tracker: "github",
      tasks: [{ id: String(task?.number), open: true, url: task?.html_url }],
    });
    expect((await runCli(["blockers", "close", String(task?.number)], { cwd: repo.dir, env })).code).toBe(0);
    expect(gh.issues[1]?.state).toBe("closed");
  });

  it("adds the run URL, failed jobs, failing command and a redacted log excerpt", async () => {
    const env = await setup();
    gh.runs.set(4242, {
      name: "release-publish",
      conclusion: "failure",
      jobs: [
        { name: "publish-npm", conclusion: "failure" },
        { name: "publish-pypi", conclusion: "success" },
      ],
    });
    const planted = `npm_${"x".repeat(36)}`;
    repo.write("run.log", `npm notice Publishing\nnpm ERR! 403 with ${planted}\n`);
    const res = await runCli(
      [
        ...FILE,
        "--run-id",
        "4242",
        "--failing-command",
        "npm publish --provenance",
        "--log-snippet-file",
        "run.log",
      ],
      { cwd: repo.dir, env },
    );
    expect(res.code).toBe(0);
    const body = gh.issues[1]?.body ?? "";
    expect(body).toContain(
      "- Workflow run: 4242 https://github.example.invalid/acme/widget/actions/runs/4242",
    );
    expect(body).toContain("- Failed jobs: publish-npm");
    expect(body).not.toContain("publish-pypi");
    expect(body).toContain("- Failing command: `npm publish --provenance`");
    expect(body).toContain("npm notice Publishing");
    expect(JSON.parse(readFileSync(ledgerFile(), "utf8")).checkpoint).toMatchObject({
      lastRunId: "4242",
      lastRunUrl: "https://github.example.invalid/acme/widget/actions/runs/4242",
    });
    for (const sent of [...gh.received, readFileSync(ledgerFile(), "utf8")]) {
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
      gh.failWith = status;
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
    expect(gh.issues.map((i) => i.title)).toEqual([
      "Release blockers: v0.3.0",
      "[release-blocker][v0.3.0] Lint",
    ]);
    repo.cleanup();
    gh.issues.length = 0;
    gh.requests.length = 0;

    const dryEnv = await setup("dry-run");
    expect((await runCli(["gates", "--release-target", "v0.3.0"], { cwd: repo.dir, env: dryEnv })).code).toBe(
      1,
    );
    expect(gh.requests.filter((r) => r.method !== "GET")).toEqual([]);
    const events = JSON.parse(readFileSync(ledgerFile(), "utf8")).events;
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "blocker-would-file",
        data: expect.objectContaining({ title: "[release-blocker][v0.3.0] Lint" }),
      }),
    );
  });
});
