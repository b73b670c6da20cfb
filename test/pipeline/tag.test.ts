// `shipgate tag` end to end: real repositories with a real bare remote, real gate runs and a real local
// tracker. The step must refuse on open blockers and unproven gates, never re-tag, and resume a lost push.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Ledger } from "../../src/evidence/schema.js";
import { runCli } from "../helpers/cli.js";
import { FILE_PUBLISH_BLOCKER, initArgs, releaseRepo } from "../helpers/demo-repo.js";
import { listFilesRecursive } from "../helpers/files.js";
import { type TempRepo, tempDir } from "../helpers/repo.js";

const GATE = 'gates:\n  - id: unit\n    name: unit tests\n    run: test "$UNIT_OK" = 1\n';
const PASS = { UNIT_OK: "1" };

interface Setup {
  repo: TempRepo;
  remote: string;
  cli(args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runCli>;
  remoteTags(): string;
  ledger(): Ledger;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup(config = GATE): Setup {
  const repo = releaseRepo(config);
  const remoteDir = tempDir("shipgate-remote-");
  const remote = path.join(remoteDir, "origin.git");
  repo.git("init", "-q", "--bare", remote);
  repo.git("remote", "add", "origin", remote);
  cleanups.push(() => {
    repo.cleanup();
    rmSync(remoteDir, { recursive: true, force: true });
  });
  const s: Setup = {
    repo,
    remote,
    cli: (args, env) => runCli([...args, "--json"], { cwd: repo.dir, env }),
    remoteTags: () => repo.git("ls-remote", "--tags", "origin"),
    ledger: () => JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8")),
  };
  return s;
}

async function init(s: Setup, mode: "live" | "dry-run") {
  const r = await s.cli(initArgs(mode));
  expect(r.code, r.stderr).toBe(0);
}

const TAG = ["tag", "--release-target", "v0.3.0"];
const GATES = ["gates", "--release-target", "v0.3.0"];

describe("shipgate tag", () => {
  it("live: tags HEAD, pushes an annotated tag, records it, and a rerun changes nothing", async () => {
    const s = setup();
    await init(s, "live");
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    const r = await s.cli(TAG);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const head = s.repo.git("rev-parse", "HEAD");
    const out = r.json<{ actions: string[]; sha: string; problems: unknown[] }>();
    expect(out.actions).toEqual(["create", "push"]);
    expect(out.sha).toBe(head);
    expect(s.repo.git("cat-file", "-t", "refs/tags/v0.3.0")).toBe("tag");
    expect(s.repo.git("--git-dir", s.remote, "rev-parse", "v0.3.0^{commit}")).toBe(head);
    const ledger = s.ledger();
    expect(ledger.mechanics.tag).toMatchObject({ tag: "v0.3.0", sha: head, pushed: true, dryRun: false });
    expect(ledger.checkpoint).toMatchObject({ phase: "tagged", remoteTag: "present", sha: head });

    const before = s.remoteTags();
    const again = await s.cli(TAG);
    expect(again.code).toBe(0);
    expect(again.json<{ actions: string[] }>().actions).toEqual([]);
    expect(s.remoteTags()).toBe(before);
    // Rerunning the gates afterwards does not move the checkpoint back.
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    expect(s.ledger().checkpoint.phase).toBe("tagged");
    const status = await s.cli(["status", "--release-target", "v0.3.0"]);
    // After the tag comes the wait for its build run.
    expect(status.json<{ next: { command: string[] } }>().next.command).toEqual([
      "shipgate",
      "build",
      "--release-target",
      "v0.3.0",
    ]);
    expect(status.json<{ mechanics: Ledger["mechanics"] }>().mechanics.tag).toMatchObject({ pushed: true });
    const human = await runCli(["status", "--release-target", "v0.3.0"], { cwd: s.repo.dir });
    expect(human.stdout).toContain(`tag: pushed — v0.3.0 at ${head.slice(0, 12)} on origin`);
    const md = readFileSync(path.join(s.repo.dir, ".shipgate/v0.3.0/evidence.md"), "utf8");
    expect(md).toContain(`| tag | pushed | v0.3.0 at ${head.slice(0, 12)} on origin |`);

    // The tag record is part of the validated schema: a hand-edited one is refused, not trusted.
    const file = path.join(s.repo.dir, ".shipgate/v0.3.0/evidence.json");
    const broken = readFileSync(file, "utf8").replace('"pushed": true', '"pushed": "yes"');
    writeFileSync(file, broken);
    const refused = await s.cli(["status", "--release-target", "v0.3.0"]);
    expect(refused.code).toBe(2);
    expect(refused.json<{ error: string }>().error).toContain("mechanics.tag.pushed");
    expect(readFileSync(file, "utf8")).toBe(broken);
  });

  it("refuses (exit 1) while the epic has an open blocker, even after the gate passes, until it is closed", async () => {
    const s = setup();
    await init(s, "live");
    expect((await s.cli(GATES)).code).toBe(1);
    const refused = await s.cli(TAG);
    expect(refused.code).toBe(1);
    const problems = refused.json<{ problems: { kind: string; id: string; detail: string }[] }>().problems;
    expect(problems.map((p) => p.kind)).toEqual(["blocker", "gate"]);
    expect(problems[1]?.detail).toMatch(/^fail: /);
    expect(s.remoteTags()).toBe("");
    expect(s.repo.git("tag", "--list", "v0.3.0")).toBe("");

    // The gate passes now; without autoClose its task stays open in the tracker, and that alone refuses.
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    const still = await s.cli(TAG);
    expect(still.code).toBe(1);
    const blocker = still.json<{ problems: { kind: string; id: string }[] }>().problems;
    expect(blocker).toHaveLength(1);
    expect(blocker[0]?.kind).toBe("blocker");
    expect((await s.cli(["blockers", "close", blocker[0]?.id as string])).code).toBe(0);
    expect((await s.cli(TAG)).code).toBe(0);
    expect(s.remoteTags()).toContain("refs/tags/v0.3.0");
  });

  it("refuses on a blocker the ledger holds open when the tracker's log has gone", async () => {
    const s = setup();
    await init(s, "live");
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    const filed = await s.cli(FILE_PUBLISH_BLOCKER);
    expect(filed.code).toBe(0);
    const log = path.join(s.repo.dir, ".shipgate/blockers.jsonl");
    renameSync(log, `${log}.moved`);
    const refused = await s.cli(TAG);
    expect(refused.code).toBe(1);
    expect(refused.json<{ problems: { kind: string; detail: string }[] }>().problems).toMatchObject([
      {
        kind: "blocker",
        id: filed.json<{ id: string }>().id,
        detail: expect.stringContaining(
          "open in the ledger, unknown to the local tracker: [release-blocker][v0.3.0] publish run failed",
        ),
      },
    ]);
    expect(s.remoteTags()).toBe("");
  });

  it("refuses gates never run, and a pass recorded for an older commit", async () => {
    const s = setup();
    await init(s, "live");
    const never = await s.cli(TAG);
    expect(never.code).toBe(1);
    expect(never.stdout).toContain("pending: never run");
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    s.repo.write("src.txt", "three\n");
    s.repo.commit("after the gates ran");
    const stale = await s.cli(TAG);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain("stale");
    // status tells the same story: the pass no longer counts, and the next step is to rerun.
    const status = await s.cli(["status", "--release-target", "v0.3.0"]);
    expect(status.code).toBe(3);
    const shown = status.json<{ gates: { id: string; status: string }[]; next: { reason: string } }>();
    expect(shown.gates).toContainEqual(expect.objectContaining({ id: "unit", status: "stale" }));
    expect(shown.next.reason).toContain("run the gates for the current commit (unit not decided for it)");
    expect(s.remoteTags()).toBe("");
  });

  it("refuses a dirty tree, a tag already elsewhere, and a lightweight tag", async () => {
    const s = setup();
    await init(s, "live");
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    s.repo.write("stray.txt", "x\n");
    const dirty = await s.cli(TAG);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toContain("stray.txt");
    rmSync(path.join(s.repo.dir, "stray.txt"));

    s.repo.git("tag", "v0.3.0");
    const light = await s.cli(TAG);
    expect(light.code).toBe(1);
    expect(light.stdout).toContain("lightweight");
    s.repo.git("tag", "-d", "v0.3.0");

    // Somebody already pushed v0.3.0 at the previous commit: never move it.
    s.repo.git("push", "-q", "origin", "HEAD~1:refs/tags/v0.3.0");
    const elsewhere = await s.cli(TAG);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain("never re-tagged");
    expect(s.repo.git("tag", "--list", "v0.3.0")).toBe("");
  });

  it("dry-run: says what it would do, creates and pushes nothing", async () => {
    const s = setup();
    await init(s, "dry-run");
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    const r = await runCli(TAG, { cwd: s.repo.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("dry-run: would create annotated tag v0.3.0");
    expect(r.stdout).toContain("push v0.3.0 to origin");
    expect(s.repo.git("tag", "--list", "v0.3.0")).toBe("");
    expect(s.remoteTags()).toBe("");
    expect(s.ledger().mechanics.tag).toMatchObject({ dryRun: true, actions: ["create", "push"] });
    expect(s.ledger().checkpoint.phase).not.toBe("tagged");
  });

  it("a rejected push is incomplete (exit 3) with the token redacted; the rerun resumes and pushes", async () => {
    const s = setup();
    await init(s, "live");
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    const token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    const hook = path.join(s.remote, "hooks", "pre-receive");
    mkdirSync(path.dirname(hook), { recursive: true });
    writeFileSync(hook, `#!/bin/sh\necho "denied for https://x:${token}@example.invalid" >&2\nexit 1\n`);
    chmodSync(hook, 0o755);
    const r = await s.cli(TAG);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stdout).toContain("could not push v0.3.0");
    for (const file of listFilesRecursive(path.join(s.repo.dir, ".shipgate"))) {
      expect(readFileSync(file, "utf8"), file).not.toContain(token);
    }
    // The local tag was created and recorded; the remote has nothing.
    expect(s.repo.git("cat-file", "-t", "refs/tags/v0.3.0")).toBe("tag");
    expect(s.ledger().mechanics.tag).toMatchObject({ pushed: false });
    expect(s.remoteTags()).toBe("");

    rmSync(hook);
    const resumed = await s.cli(TAG);
    expect(resumed.code).toBe(0);
    expect(resumed.json<{ actions: string[] }>().actions).toEqual(["push"]);
    expect(s.ledger().mechanics.tag).toMatchObject({ pushed: true });
  });

  it("an unreachable remote is incomplete (exit 3) and creates nothing; an unknown remote is exit 2", async () => {
    const s = setup();
    await init(s, "live");
    expect((await s.cli(GATES, PASS)).code).toBe(0);
    rmSync(s.remote, { recursive: true, force: true });
    const gone = await s.cli(TAG);
    expect(gone.code).toBe(3);
    expect(gone.stdout).toContain("could not read tags from remote origin");
    expect(s.repo.git("tag", "--list", "v0.3.0")).toBe("");
    const unknown = await s.cli([...TAG, "--remote", "upstream"]);
    expect(unknown.code).toBe(2);
    expect(unknown.json<{ error: string }>().error).toContain('no git remote named "upstream"');
  });

  it("with no gates configured nothing was decided: exit 3, no tag", async () => {
    const s = setup("gates: []\n");
    await init(s, "live");
    const r = await s.cli(TAG);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("no gates are configured");
    expect(existsSync(path.join(s.repo.dir, ".git/refs/tags/v0.3.0"))).toBe(false);
  });
});
