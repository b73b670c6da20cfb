import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { INIT, initArgs, releaseRepo } from "../helpers/demo-repo.js";
import type { TempRepo } from "../helpers/repo.js";

const ledgerFile = (repo: TempRepo, target = "v0.3.0") =>
  path.join(repo.dir, ".shipgate", target, "evidence.json");

describe("shipgate init", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("creates the ledger and its Markdown rendering, then reopens it byte-identically", async () => {
    repo = releaseRepo();
    const first = await runCli([...INIT, "--json"], { cwd: repo.dir });
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ ok: true, action: "created", path: ledgerFile(repo) });
    const ledger = JSON.parse(readFileSync(ledgerFile(repo), "utf8"));
    expect(ledger).toMatchObject({
      schemaVersion: 1,
      context: { releaseTarget: "v0.3.0", baseTag: "v0.2.0", mode: "dry-run", agent: "tester@ci" },
      checkpoint: {
        phase: "initialized",
        branch: "main",
        sha: repo.git("rev-parse", "HEAD"),
        openBlockers: 0,
      },
      events: [{ type: "initialized" }],
    });
    expect(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.md"), "utf8")).toContain(
      "# Release evidence: v0.3.0",
    );

    const before = readFileSync(ledgerFile(repo));
    const again = await runCli(INIT, { cwd: repo.dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("reopened");
    expect(readFileSync(ledgerFile(repo)).equals(before)).toBe(true);
  });

  it("refuses a different context with exit 2 and leaves the file unchanged", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    const before = readFileSync(ledgerFile(repo));
    const live = initArgs("live");
    const res = await runCli(live, { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("already exists with mode dry-run (you passed live)");
    expect(readFileSync(ledgerFile(repo)).equals(before)).toBe(true);
  });

  it("--force moves the old ledger aside with a timestamp and deletes nothing", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    const before = readFileSync(ledgerFile(repo), "utf8");
    const live = initArgs("live");
    const res = await runCli([...live, "--force", "--json"], { cwd: repo.dir });
    expect(res.code).toBe(0);
    const { movedTo } = res.json<{ movedTo: string }>();
    expect(path.basename(movedTo)).toMatch(/^v0\.3\.0\.replaced-\d{4}-\d\d-\d\dT/);
    expect(readFileSync(path.join(movedTo, "evidence.json"), "utf8")).toBe(before);
    expect(JSON.parse(readFileSync(ledgerFile(repo), "utf8")).context.mode).toBe("live");
  });

  it("accepts base tag `none` for a first release (no earlier version tag)", async () => {
    repo = releaseRepo();
    repo.git("tag", "-d", "v0.1.0", "v0.2.0");
    const res = await runCli(
      ["init", "--release-target", "v1.0.0", "--base-tag", "none", "--mode", "live", "--agent", "a@b"],
      { cwd: repo.dir },
    );
    expect(res.code).toBe(0);
    expect(existsSync(ledgerFile(repo, "v1.0.0"))).toBe(true);
  });

  const bad: [string, (args: string[]) => string[], RegExp][] = [
    [
      "a bad tag",
      (a) => a.map((x) => (x === "v0.3.0" ? "0.3" : x)),
      /--release-target "0\.3" does not match the tag pattern/,
    ],
    [
      "an unknown base tag",
      (a) => a.map((x) => (x === "v0.2.0" ? "v0.2.9" : x)),
      /--base-tag v0\.2\.9 is not a tag in this repository/,
    ],
    [
      "a base tag newer than the target",
      (a) => a.map((x) => (x === "v0.3.0" ? "v0.1.5" : x)),
      /--base-tag v0\.2\.0 is not older than --release-target v0\.1\.5/,
    ],
    [
      "mode prod",
      (a) => a.map((x) => (x === "dry-run" ? "prod" : x)),
      /--mode "prod" is not one of: dry-run, live/,
    ],
    [
      "an agent without @",
      (a) => a.map((x) => (x === "tester@ci" ? "tester" : x)),
      /--agent "tester" is not of the form model@host/,
    ],
    ["a missing input", (a) => a.slice(0, 5), /missing required input --mode/],
    [
      "an empty target",
      (a) => a.map((x) => (x === "v0.3.0" ? "" : x)),
      /missing required input --release-target/,
    ],
    ["an unknown flag", (a) => [...a, "--dryrun"], /unknown option '--dryrun'/],
  ];
  it.each(bad)("refuses %s with exit 2 and a one-line message", async (_what, mutate, message) => {
    repo = releaseRepo();
    const res = await runCli(mutate(INIT), { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(existsSync(path.join(repo.dir, ".shipgate"))).toBe(false);
  });

  it("refuses a base tag that is not an ancestor of HEAD", async () => {
    repo = releaseRepo();
    repo.git("checkout", "-q", "-b", "side", "v0.1.0");
    repo.write("side.txt", "x\n");
    repo.commit("side");
    repo.tag("v0.2.5");
    repo.git("checkout", "-q", "main");
    const res = await runCli(
      INIT.map((x) => (x === "v0.2.0" ? "v0.2.5" : x)),
      { cwd: repo.dir },
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--base-tag v0.2.5 is not an ancestor of HEAD");
  });

  it("refuses a target that would escape the evidence directory, whatever the tag pattern allows", async () => {
    repo = releaseRepo("tagPattern: '.*'\ngates: []\n");
    for (const target of ["../outside", "a/b", "v1\\x", ".."]) {
      const res = await runCli(
        INIT.map((x) => (x === "v0.3.0" ? target : x === "v0.2.0" ? "none" : x)),
        { cwd: repo.dir },
      );
      expect(res.code).toBe(2);
      expect(res.stderr).toContain("cannot name a ledger directory");
    }
    expect(readdirSync(path.dirname(repo.dir)).filter((f) => f === "outside")).toEqual([]);
  });

  it("refuses a config with an unknown key", async () => {
    repo = releaseRepo("gates: []\ntrakcer: { kind: local }\n");
    const res = await runCli(INIT, { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('shipgate.yaml: trakcer: unknown key "trakcer"');
  });

  it("gives --json errors as one JSON value on stdout", async () => {
    repo = releaseRepo();
    const res = await runCli([...INIT.map((x) => (x === "dry-run" ? "prod" : x)), "--json"], {
      cwd: repo.dir,
    });
    expect(res.code).toBe(2);
    expect(res.json()).toMatchObject({ ok: false, exitCode: 2, error: expect.stringContaining("--mode") });
  });

  it("exits non-zero with one line and a --verbose hint on an unexpected error", async () => {
    // The evidence directory itself is checked at load; a file where the target's directory goes is not.
    repo = releaseRepo();
    repo.write(".shipgate/v0.3.0", "a file where a directory should be\n");
    const res = await runCli(INIT, { cwd: repo.dir });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^shipgate: error: unexpected error: /);
    expect(res.stderr).toContain("rerun with --verbose");
    expect(readdirSync(path.join(repo.dir, ".shipgate"))).toContain("v0.3.0");
    // Under --json the next command is that rerun: the same command line with --verbose.
    const json = await runCli([...INIT, "--json"], { cwd: repo.dir });
    expect(json.json<{ next: { command: string[] } }>().next.command).toEqual([
      "shipgate",
      ...INIT,
      "--json",
      "--verbose",
    ]);
    // A token on the command line does not reach that rerun.
    const token = `ghp_${"R3runT0ken".repeat(4)}`;
    const args = INIT.map((a) => (a === "tester@ci" ? `${token}@ci` : a));
    const withToken = await runCli([...args, "--json"], { cwd: repo.dir, env: { GH_TOKEN: token } });
    expect(withToken.code).toBe(3);
    expect(withToken.stdout + withToken.stderr).not.toContain(token);
    expect(withToken.json<{ next: { command: string[] } }>().next.command.at(-1)).toBe("--verbose");
  });

  it("refuses an evidence directory under a file at load, naming the key", async () => {
    repo = releaseRepo("evidenceDir: blocked/dir\ngates: []\n");
    writeFileSync(path.join(repo.dir, "blocked"), "a file where a directory should be\n");
    const res = await runCli(INIT, { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^shipgate: error: shipgate\.yaml: evidenceDir: blocked is a file/);
  });
});

describe("shipgate status", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("refuses a target without a ledger, naming the init command", async () => {
    repo = releaseRepo();
    const res = await runCli(["status", "--release-target", "v0.3.0"], { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("no ledger for v0.3.0 yet");
    expect(res.stderr).toContain("shipgate init --release-target v0.3.0");
  });

  it("reports context, checkpoint and the next step, and refuses contradicting flags", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(["status", "--release-target", "v0.3.0", "--json"], { cwd: repo.dir });
    expect(res.code).toBe(3);
    expect(res.json()).toMatchObject({
      context: { baseTag: "v0.2.0", mode: "dry-run" },
      checkpoint: { phase: "initialized" },
      gates: [],
      next: { command: ["shipgate", "gates", "--release-target", "v0.3.0"], reason: "run the QA gates" },
    });
    const contra = await runCli(["status", "--release-target", "v0.3.0", "--mode", "live"], {
      cwd: repo.dir,
    });
    expect(contra.code).toBe(2);
    expect(contra.stderr).toContain(`--mode "live" contradicts the ledger, which records "dry-run"`);
  });

  it("lists configured gates that never ran as pending (exit 3)", async () => {
    repo = releaseRepo("gates:\n  - { id: fmt, run: 'true' }\n");
    await runCli(INIT, { cwd: repo.dir });
    const res = await runCli(["status", "--release-target", "v0.3.0", "--json"], { cwd: repo.dir });
    expect(res.code).toBe(3);
    expect(res.json()).toMatchObject({
      gates: [{ id: "fmt", status: "pending" }],
      next: {
        command: ["shipgate", "gates", "--release-target", "v0.3.0"],
        reason: expect.stringContaining("(fmt not decided for it)"),
      },
    });
  });

  it("refuses a hand-broken ledger and leaves it as it was", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    const broken = readFileSync(ledgerFile(repo), "utf8").replace('"mode": "dry-run"', '"mode": "prod"');
    writeFileSync(ledgerFile(repo), broken);
    for (const args of [
      ["status", "--release-target", "v0.3.0"],
      INIT,
      ["gates", "--release-target", "v0.3.0"],
    ]) {
      const res = await runCli(args, { cwd: repo.dir });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/the ledger .* is invalid: context\.mode/);
    }
    writeFileSync(ledgerFile(repo), "{ truncated");
    const res = await runCli(["status", "--release-target", "v0.3.0"], { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("not valid JSON");
    expect(readFileSync(ledgerFile(repo), "utf8")).toBe("{ truncated");
  });
});
