// The ergo tracker against a stand-in executable implementing ergo's JSON contract and its failures.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import { installFakeErgo } from "../helpers/fake-ergo.js";
import type { TempRepo } from "../helpers/repo.js";

const FILE = [
  "blockers",
  "file",
  "--release-target",
  "v0.3.0",
  "--check",
  "fmt",
  "--title",
  "cargo fmt differs",
  "--summary",
  "run cargo fmt",
];

describe("ergo tracker", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  const setup = async (command = "ergo") => {
    repo = releaseRepo(`tracker: { kind: ergo, command: ${command} }\ngates: []\n`);
    await runCli(INIT, { cwd: repo.dir });
    const fake = installFakeErgo(path.join(repo.dir, ".git", "fake-ergo"));
    const env = { PATH: `${fake.bin}:${process.env.PATH}`, FAKE_ERGO_STATE: fake.stateFile };
    const ledgerFile = path.join(repo.dir, ".shipgate/v0.3.0/evidence.json");
    return { ...fake, env, ledgerFile };
  };

  it("files the same blocker three times as one epic and one task, and lists and closes it", async () => {
    const { env, stateFile } = await setup();
    for (let i = 0; i < 3; i++) expect((await runCli(FILE, { cwd: repo.dir, env })).code).toBe(0);
    const state = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(state.items.filter((i: { kind: string }) => i.kind === "epic")).toMatchObject([
      { title: "Release blockers: v0.3.0" },
    ]);
    const tasks = state.items.filter((i: { kind: string }) => i.kind === "task");
    expect(tasks).toMatchObject([{ title: "[release-blocker][v0.3.0] cargo fmt differs", epic: "ER1" }]);
    expect(tasks[0].body).toContain("## Consult Me");
    const list = await runCli(["blockers", "list", "--release-target", "v0.3.0", "--json"], {
      cwd: repo.dir,
      env,
    });
    expect(list.code).toBe(1);
    expect(list.json()).toMatchObject({
      tracker: "ergo",
      epic: { id: "ER1" },
      tasks: [{ id: "ER2", state: "todo", open: true }],
    });
    expect((await runCli(["blockers", "close", "ER2"], { cwd: repo.dir, env })).code).toBe(0);
    const after = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(after.items.find((i: { id: string }) => i.id === "ER2").state).toBe("done");
    expect(after.calls.at(-1)).toEqual({ args: ["set", "ER2"], input: '{"state":"done"}' });
    expect(
      (await runCli(["blockers", "list", "--release-target", "v0.3.0"], { cwd: repo.dir, env })).code,
    ).toBe(0);
  });

  it.each([
    ["missing", { command: "/nonexistent/ergo" }, /\/nonexistent\/ergo is not installed or not on PATH/],
    ["garbage output", { mode: "garbage" }, /did not print exactly one JSON value: Created epic!/],
    ["two JSON values", { mode: "two-values" }, /did not print exactly one JSON value/],
    ["a non-zero exit", { mode: "fail" }, /exited 1: ergo: database is locked/],
  ])("is incomplete (exit 3) with ergo %s, and leaves the ledger as it was", async (_what, how, message) => {
    const { env, ledgerFile } = await setup("command" in how ? how.command : "ergo");
    const before = readFileSync(ledgerFile);
    const res = await runCli(FILE, {
      cwd: repo.dir,
      env: { ...env, FAKE_ERGO_MODE: "mode" in how ? how.mode : "" },
    });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(message);
    expect(readFileSync(ledgerFile).equals(before)).toBe(true);
  });

  it("redacts secrets from ergo's error message", async () => {
    const { env } = await setup();
    const secret = `ghp_${"q".repeat(36)}`;
    const res = await runCli(FILE, { cwd: repo.dir, env: { ...env, FAKE_ERGO_MODE: "fail", LEAKY: secret } });
    expect(res.code).toBe(3);
    expect(res.stderr).not.toContain(secret);
    expect(res.stderr).toContain("[REDACTED]");
  });
});
