// The gate engine end to end through the CLI, on real git repositories and real child processes.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { ledgerPaths } from "../../src/evidence/paths.js";
import { currentCacheKeys } from "../../src/gates/cache-key.js";
import { writeTarGz } from "../helpers/archives.js";
import { CLI, runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import { listFilesRecursive } from "../helpers/files.js";
import { eventually, processGone } from "../helpers/processes.js";
import { type TempRepo, tempDir } from "../helpers/repo.js";

interface GateOut {
  id: string;
  status: string;
  summary: string;
  cached: boolean;
}
const byId = (gates: GateOut[]) => Object.fromEntries(gates.map((g) => [g.id, g]));
const GATES = ["gates", "--release-target", "v0.3.0", "--json"];

describe("shipgate gates", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("decides pass, fail, incomplete, timeout and skipped, then reuses only what passed", async () => {
    repo = releaseRepo(`gates:
  - { id: good, name: Good gate, run: ["echo building", "echo testing"] }
  - { id: bad, run: ["echo first", "exit 1", "echo never-printed"] }
  - { id: notool, run: "cargo-xyz --version", requires: [cargo-xyz-not-installed] }
  - { id: slow, run: "sleep 60 & echo $! > .git/child.pid; wait", timeout: 1s }
  - { id: deps, run: "echo audit", when: { changed: ["Cargo.lock", "**/package-lock.json"] } }
  - { id: src, run: "echo src changed", when: { changed: ["*.txt"] } }
`);
    await runCli(INIT, { cwd: repo.dir });
    const first = await runCli(GATES, { cwd: repo.dir });
    expect(first.code).toBe(1);
    const gates = byId(first.json<{ gates: GateOut[] }>().gates);
    expect(gates.good).toMatchObject({ status: "pass", cached: false });
    expect(gates.bad).toMatchObject({ status: "fail", summary: "`exit 1` exited 1" });
    expect(gates.notool).toMatchObject({
      status: "incomplete",
      summary: expect.stringContaining("cargo-xyz-not-installed"),
    });
    expect(gates.slow).toMatchObject({
      status: "fail",
      summary: expect.stringContaining("timed out after 1s"),
    });
    expect(gates.deps).toMatchObject({ status: "skipped", summary: expect.stringContaining("Cargo.lock") });
    expect(gates.src).toMatchObject({ status: "pass" });

    // The timed-out gate's background child was killed with its process group: no orphan.
    const childPid = Number(readFileSync(path.join(repo.dir, ".git/child.pid"), "utf8"));
    expect(await eventually(() => processGone(childPid))).toBe(true);

    const ledger = JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));
    expect(ledger.gates.bad.commands.map((c: { exitCode: number }) => c.exitCode)).toEqual([0, 1]);
    expect(ledger.gates.bad.excerpt).toContain("first");
    expect(ledger.gates.bad.excerpt).not.toContain("never-printed");
    expect(readFileSync(path.join(repo.dir, ledger.gates.bad.logPath), "utf8")).toContain("$ exit 1");
    expect(ledger.gates.deps.details.triggers).toEqual(["Cargo.lock", "**/package-lock.json"]);

    const second = await runCli(GATES, { cwd: repo.dir });
    const again = byId(second.json<{ gates: GateOut[] }>().gates);
    expect(again.good).toMatchObject({ status: "pass", cached: true });
    expect(again.bad).toMatchObject({ status: "fail", cached: false });
    const ledger2 = JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));
    // The reuse is on record: the run's start event lists the gates the cache decided.
    const started = ledger2.events.filter((e: { type: string }) => e.type === "gates-started").at(-1);
    expect(started.data.cached).toContain("good");
    expect(started.data.cached).not.toContain("bad");
  });

  it("invalidates the cache on --rerun, a new commit or a changed gate definition", async () => {
    repo = releaseRepo("gates:\n  - { id: good, run: 'echo one' }\n");
    await runCli(INIT, { cwd: repo.dir });
    const cachedOf = async (extra: string[] = []) =>
      byId((await runCli([...GATES, ...extra], { cwd: repo.dir })).json<{ gates: GateOut[] }>().gates).good
        ?.cached;
    expect(await cachedOf()).toBe(false);
    expect(await cachedOf()).toBe(true);
    expect(await cachedOf(["--rerun"])).toBe(false);
    expect(await cachedOf()).toBe(true);
    repo.write("src.txt", "three\n");
    expect(await cachedOf()).toBe(false); // uncommitted change
    repo.commit("three");
    expect(await cachedOf()).toBe(false); // new HEAD
    expect(await cachedOf()).toBe(true);
    repo.write("shipgate.yaml", "gates:\n  - { id: good, run: 'echo two' }\n");
    repo.commit("change the gate");
    expect(await cachedOf()).toBe(false);
  });

  it("keys a bench gate on the `bench:` section too (a config kept outside the repository changes no file)", async () => {
    repo = releaseRepo();
    const config = (threshold: number) =>
      parseConfig(
        "shipgate.yaml",
        `gates:\n  - { id: perf, kind: bench }\n  - { id: unit, run: 'true' }\nbench: { run: 'echo {}', format: generic, thresholdPercent: ${threshold} }\n`,
      );
    const paths = ledgerPaths(repo.dir, ".shipgate", "v0.3.0");
    const release = { releaseTarget: "v0.3.0", baseTag: "v0.2.0", mode: "dry-run" as const, agent: "a@b" };
    const before = await currentCacheKeys(config(15), repo.dir, paths, release);
    const after = await currentCacheKeys(config(30), repo.dir, paths, release);
    expect(after.get("perf")).not.toBe(before.get("perf"));
    expect(after.get("unit")).toBe(before.get("unit"));
  });

  it("rechecks an ignored build artifact that changed, instead of reusing its pass", async () => {
    repo = releaseRepo(
      "gates:\n  - { id: notices, kind: licensing-notices, artifacts: ['dist/*.tar.gz'] }\n",
    );
    repo.write(".gitignore", ".shipgate/\ndist/\n");
    repo.commit("ignore dist");
    const archive = path.join(repo.dir, "dist/pkg-0.3.0.tar.gz");
    mkdirSync(path.dirname(archive), { recursive: true });
    writeTarGz(archive, { "pkg/LICENSE": "MIT", "pkg/THIRD_PARTY_NOTICES.md": "none" });
    await runCli(INIT, { cwd: repo.dir });
    const run = async () =>
      byId((await runCli(GATES, { cwd: repo.dir })).json<{ gates: GateOut[] }>().gates).notices;
    expect(await run()).toMatchObject({ status: "pass", cached: false });
    expect(await run()).toMatchObject({ status: "pass", cached: true });
    // Rebuilt without the notices: git sees no change (dist/ is ignored), the gate must still rerun.
    writeTarGz(archive, { "pkg/LICENSE": "MIT" });
    utimesSync(archive, new Date(), new Date(Date.now() + 5000));
    expect(await run()).toMatchObject({ status: "fail", cached: false });
  });

  it("rechecks git-state when the upstream ref moves though HEAD and the tree did not", async () => {
    repo = releaseRepo("gates:\n  - { id: clean, kind: git-state }\n");
    const remote = tempDir("shipgate-remote-");
    try {
      repo.git("init", "-q", "--bare", remote);
      repo.git("remote", "add", "origin", remote);
      repo.git("push", "-q", "-u", "origin", "main");
      await runCli(INIT, { cwd: repo.dir });
      const run = async () =>
        byId((await runCli(GATES, { cwd: repo.dir })).json<{ gates: GateOut[] }>().gates).clean;
      expect(await run()).toMatchObject({ status: "pass", cached: false });
      expect(await run()).toMatchObject({ status: "pass", cached: true });
      // Upstream rewound by one commit: HEAD is now ahead of it.
      repo.git("push", "-q", "--force", "origin", "HEAD~1:main");
      expect(await run()).toMatchObject({ status: "fail", cached: false });
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });

  it("runs each command with the gate's env added and in its cwd", async () => {
    repo = releaseRepo(`gates:
  - { id: where, run: 'test "$GREETING" = hello && test "$(basename "$PWD")" = sub && test -n "$HOME"', env: { GREETING: hello }, cwd: sub }
`);
    repo.write("sub/keep", "");
    repo.commit("sub");
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(GATES, { cwd: repo.dir });
    expect(res.code).toBe(0);
  });

  it("exits 3 when the only gate is incomplete, and when there are no gates", async () => {
    repo = releaseRepo("gates:\n  - { id: notool, run: 'x', requires: [definitely-not-a-tool] }\n");
    await runCli(INIT, { cwd: repo.dir });
    const one = await runCli([...GATES, "--only", "notool"], { cwd: repo.dir });
    expect(one.code).toBe(3);
    // A `cwd` that is not a directory is refused when the config loads, before any gate runs.
    repo.write("shipgate.yaml", "gates:\n  - { id: badcwd, run: 'true', cwd: no/such/dir }\n");
    const cwd = await runCli([...GATES, "--only", "badcwd"], { cwd: repo.dir });
    expect(cwd.code).toBe(2);
    expect(cwd.stderr).toMatch(/gates\[0\]\.cwd: "no\/such\/dir" does not exist/);
    repo.write("shipgate.yaml", "gates: []\n");
    const none = await runCli(GATES, { cwd: repo.dir });
    expect(none.code).toBe(3);
  });

  it("never lets a planted token reach the evidence directory", async () => {
    const envToken = "s3cr3t-value-planted-0042";
    const ghToken = `ghp_${"A1b2C3d4E5".repeat(4)}`;
    repo = releaseRepo(`gates:
  - { id: leak, run: ["echo token=$MY_API_TOKEN", "echo ${ghToken}", "echo 'Authorization: Bearer abc.def.ghi'", "exit 1"] }
`);
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(GATES, { cwd: repo.dir, env: { MY_API_TOKEN: envToken } });
    expect(res.code).toBe(1);
    const files = listFilesRecursive(path.join(repo.dir, ".shipgate"));
    expect(files.some((f) => f.endsWith("leak.log"))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain(envToken);
      expect(text).not.toContain(ghToken);
      expect(text).not.toContain("abc.def.ghi");
    }
    expect(res.stdout).not.toContain(ghToken);
    expect(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/logs/leak.log"), "utf8")).toContain(
      "token=[REDACTED]",
    );
  });

  it("records an interrupted run (SIGINT) as incomplete, kills the gate and exits 3", async () => {
    repo = releaseRepo("gates:\n  - { id: long, run: 'echo $$ > gate.pid; sleep 30' }\n");
    await runCli(INIT, { cwd: repo.dir });
    const child = spawn(process.execPath, [CLI, ...GATES], {
      cwd: repo.dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const pidFile = path.join(repo.dir, "gate.pid");
    expect(
      await eventually(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "", 20_000),
    ).toBe(true);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code).toBe(3);
    expect(JSON.parse(stdout).gates[0]).toMatchObject({ id: "long", status: "incomplete" });
    expect(await eventually(() => processGone(Number(readFileSync(pidFile, "utf8"))))).toBe(true);
  });

  it("keeps the checkpoint's branch and sha current and never asks the remote", async () => {
    repo = releaseRepo("gates:\n  - { id: a, run: 'true' }\n");
    // An unreachable origin: the gates must not depend on the network (the tag step owns remote state).
    repo.git("remote", "add", "origin", path.join(repo.dir, "no-such-remote"));
    await runCli(INIT, { cwd: repo.dir });
    const checkpoint = async () => {
      expect((await runCli(GATES, { cwd: repo.dir })).code).toBe(0);
      return JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"))
        .checkpoint;
    };
    expect(await checkpoint()).toMatchObject({
      phase: "gates",
      branch: "main",
      sha: repo.git("rev-parse", "HEAD"),
      remoteTag: "unknown",
    });
    repo.write("more.txt", "x\n");
    repo.commit("more");
    repo.git("checkout", "-q", "-b", "release");
    expect(await checkpoint()).toMatchObject({ branch: "release", sha: repo.git("rev-parse", "HEAD") });
    repo.git("checkout", "-q", "--detach");
    expect((await checkpoint()).branch).toBeNull();
  });

  it("refuses bad --jobs and unknown --only ids with exit 2", async () => {
    repo = releaseRepo("gates:\n  - { id: a, run: 'true' }\n");
    await runCli(INIT, { cwd: repo.dir });
    for (const [args, message] of [
      [["--jobs", "0"], '--jobs "0" is not a whole positive number'],
      [["--jobs", "two"], '--jobs "two"'],
      [["--only", "a,zz"], "--only names unknown gate zz"],
      [["--only", " , "], "--only names nothing"],
    ] as const) {
      const res = await runCli([...GATES, ...args], { cwd: repo.dir });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(message);
    }
  });

  it("runs independent gates concurrently up to --jobs and honours `after`", async () => {
    repo = releaseRepo(`gates:
  - { id: a, run: "sleep 0.3; date +%s%N > a.t" }
  - { id: b, run: "sleep 0.3; date +%s%N > b.t" }
  - { id: c, run: "test -f a.t && test -f b.t", after: [a, b] }
`);
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli([...GATES, "--jobs", "2"], { cwd: repo.dir });
    expect(res.code).toBe(0);
    const ledger = JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));
    // With two slots, b started before a finished.
    expect(Date.parse(ledger.gates.b.startedAt)).toBeLessThan(Date.parse(ledger.gates.a.finishedAt));
    expect(Date.parse(ledger.gates.c.startedAt)).toBeGreaterThanOrEqual(
      Date.parse(ledger.gates.b.finishedAt),
    );
  });
});
