// The program itself: help and version exit 0; no command, an unknown command or flag exit 2.
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("shipgate program", () => {
  it.each([
    [["--help"], 0],
    [["help"], 0],
    [["help", "gates"], 0],
    [["gates", "--help"], 0],
    [["--version"], 0],
    [[], 2],
    [["config"], 2],
    [["deploy"], 2],
    [["status", "--frobnicate"], 2],
  ])("shipgate %j exits %i", async (args, code) => {
    const res = await runCli(args, { cwd: process.cwd() });
    expect(res.code).toBe(code);
  });

  it("answers a missing command with one JSON value under --json", async () => {
    const res = await runCli(["--json"], { cwd: process.cwd() });
    expect(res.code).toBe(2);
    expect(res.json()).toEqual({
      ok: false,
      exitCode: 2,
      error: "no command given",
      hint: "run shipgate --help",
    });
  });
});
