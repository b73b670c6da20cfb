// The local tracker through the CLI: idempotent filing, concurrency, redaction, the gate engine's filing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import type { TempRepo } from "../helpers/repo.js";

const T = ["--release-target", "v0.3.0"];
const log = (repo: TempRepo) =>
  readFileSync(path.join(repo.dir, ".shipgate/blockers.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
const ledger = (repo: TempRepo) =>
  JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));

describe("local tracker", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("files the same blocker three times as one epic and one task", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    const args = [
      "blockers",
      "file",
      ...T,
      "--check",
      "deps",
      "--title",
      "cargo audit fails",
      "--summary",
      "RUSTSEC-2026-0001",
      "--json",
    ];
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await runCli(args, { cwd: repo.dir }));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(results.map((r) => r.json().created)).toEqual([true, false, false]);
    const records = log(repo);
    expect(records.filter((r) => r.op === "epic")).toMatchObject([{ title: "Release blockers: v0.3.0" }]);
    expect(records.filter((r) => r.op === "task")).toMatchObject([
      { title: "[release-blocker][v0.3.0] cargo audit fails" },
    ]);
    const task = records.find((r) => r.op === "task");
    for (const section of [
      "## Goal",
      "## Background / Rationale",
      "## Acceptance Criteria",
      "## Automated Validation Gates",
      "## Consult Me",
    ]) {
      expect(task.body).toContain(section);
    }
    expect(ledger(repo).blockers).toMatchObject([{ check: "deps", state: "open", tracker: "local" }]);
    expect(ledger(repo).checkpoint).toMatchObject({ blockerEpicId: "E1", openBlockers: 1 });

    const list = await runCli(["blockers", "list", ...T, "--json"], { cwd: repo.dir });
    expect(list.code).toBe(1);
    expect(list.json()).toMatchObject({ open: 1, tasks: [{ id: task.id, open: true }] });
    const close = await runCli(["blockers", "close", task.id, ...T], { cwd: repo.dir });
    expect(close.code).toBe(0);
    expect((await runCli(["blockers", "list", ...T], { cwd: repo.dir })).code).toBe(0);
    expect(ledger(repo).blockers[0].state).toBe("closed");
    // A closed blocker filed again is a new task.
    expect((await runCli(args, { cwd: repo.dir })).json().created).toBe(true);
  });

  it("keeps exactly the expected tasks under eight concurrent filers", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    // Four distinct blockers, each filed twice at the same time (real processes: the lock is the point).
    const runs = Array.from({ length: 8 }, (_, i) =>
      spawnCli(
        ["blockers", "file", ...T, "--check", `c${i % 4}`, "--title", `problem ${i % 4}`, "--summary", "s"],
        { cwd: repo.dir },
      ),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
    const records = log(repo); // every line parses
    expect(records.filter((r) => r.op === "epic")).toHaveLength(1);
    const titles = records.filter((r) => r.op === "task").map((r) => r.title);
    expect(titles.sort()).toEqual(
      Array.from({ length: 4 }, (_, i) => `[release-blocker][v0.3.0] problem ${i}`).sort(),
    );
    expect(ledger(repo).blockers).toHaveLength(4);
  });

  it("never lets a token planted in a log snippet reach the tracker or the ledger", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    const token = `ghp_${"Zz9".repeat(12)}`;
    repo.write(
      "build.log",
      `step 1\nusing ${token}\nnpm_token=${"n".repeat(8)}\nDEPLOY_KEY value: planted-secret-77\n`,
    );
    const res = await runCli(
      [
        "blockers",
        "file",
        ...T,
        "--check",
        "build",
        "--title",
        "build fails",
        "--summary",
        `auth with ${token}`,
        "--log-snippet-file",
        "build.log",
      ],
      { cwd: repo.dir, env: { DEPLOY_KEY: "planted-secret-77" } },
    );
    expect(res.code).toBe(0);
    const stored =
      readFileSync(path.join(repo.dir, ".shipgate/blockers.jsonl"), "utf8") + JSON.stringify(ledger(repo));
    expect(stored).toContain("step 1");
    expect(stored).not.toContain(token);
    expect(stored).not.toContain("planted-secret-77");
    expect(res.stdout).not.toContain(token);
  });

  it("--dry-run prints what would be filed and writes nothing", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    const before = readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"));
    const res = await runCli(
      ["blockers", "file", ...T, "--check", "x", "--title", "t", "--summary", "s", "--dry-run", "--json"],
      { cwd: repo.dir },
    );
    expect(res.code).toBe(0);
    expect(res.json()).toMatchObject({
      dryRun: true,
      title: "[release-blocker][v0.3.0] t",
      epicTitle: "Release blockers: v0.3.0",
    });
    expect(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json")).equals(before)).toBe(true);
    expect(() => readFileSync(path.join(repo.dir, ".shipgate/blockers.jsonl"))).toThrow();
  });

  it("keeps its log beside the ledgers when evidenceDir moves, so the tree stays clean", async () => {
    repo = releaseRepo("evidenceDir: .evidence\ngates:\n  - { id: clean, kind: git-state }\n");
    repo.write(".gitignore", ".evidence/\n");
    repo.commit("ignore .evidence");
    await runCli(INIT, { cwd: repo.dir });
    await runCli(["blockers", "file", ...T, "--check", "x", "--title", "t", "--summary", "s"], {
      cwd: repo.dir,
    });
    expect(readFileSync(path.join(repo.dir, ".evidence/blockers.jsonl"), "utf8")).toContain('"op":"task"');
    expect((await runCli(["gates", ...T], { cwd: repo.dir })).code).toBe(0);
  });

  it("refuses bad input with exit 2", async () => {
    repo = releaseRepo();
    const noLedger = await runCli(
      ["blockers", "file", ...T, "--check", "x", "--title", "t", "--summary", "s"],
      { cwd: repo.dir },
    );
    expect(noLedger.code).toBe(2);
    expect(noLedger.stderr).toContain("shipgate init --release-target v0.3.0");
    await runCli(INIT, { cwd: repo.dir });
    for (const [args, message] of [
      [["--title", "t", "--summary", "s"], "missing required --check"],
      [
        ["--check", "x", "--title", "t", "--summary", "s", "--run-id", "abc"],
        '--run-id "abc" is not a run number',
      ],
      [
        ["--check", "x", "--title", "t", "--summary", "s", "--log-snippet-file", "nope.log"],
        "cannot read --log-snippet-file nope.log",
      ],
    ] as const) {
      const res = await runCli(["blockers", "file", ...T, ...args], { cwd: repo.dir });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(message);
    }
    expect((await runCli(["blockers", "close", "T99"], { cwd: repo.dir })).code).toBe(2);
  });

  it("files a blocker per blocking gate once, and resolves (or with autoClose closes) it when the gate passes", async () => {
    repo = releaseRepo(
      "tracker: { kind: local, autoClose: true }\ngates:\n  - { id: flaky, name: Flaky test, run: 'test -f fixed' }\n",
    );
    await runCli(INIT, { cwd: repo.dir });
    const first = await runCli(["gates", ...T, "--json"], { cwd: repo.dir });
    expect(first.code).toBe(1);
    const blockerId = first.json<{ gates: { blockerId: string }[] }>().gates[0]?.blockerId;
    expect(blockerId).toMatch(/^T\d+$/);
    await runCli(["gates", ...T], { cwd: repo.dir });
    expect(log(repo).filter((r) => r.op === "task")).toHaveLength(1);
    const noFile = await runCli(["gates", ...T, "--no-file-blockers"], { cwd: repo.dir });
    expect(noFile.code).toBe(1);

    repo.write("fixed", "");
    expect((await runCli(["gates", ...T], { cwd: repo.dir })).code).toBe(0);
    expect(ledger(repo).blockers).toMatchObject([{ id: blockerId, state: "closed" }]);
    expect(log(repo).filter((r) => r.op === "close")).toMatchObject([{ id: blockerId }]);
  });
});
