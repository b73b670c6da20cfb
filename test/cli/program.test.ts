// The program itself: help and version exit 0; no command, an unknown command or flag exit 2.
import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";

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
  ])("the binary: shipgate %j exits %i", async (args, code) => {
    const res = await spawnCli(args, { cwd: process.cwd() });
    expect(res.code).toBe(code);
  });

  it("prints a parse error once, in shipgate's format, with the command's help hint", async () => {
    const res = await runCli(["gates", "--frobnicate"], { cwd: process.cwd() });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      "shipgate: error: unknown option '--frobnicate'\nhint: run shipgate gates --help\n",
    );
  });

  it("refuses a --cwd that is not a directory, naming it", async () => {
    const res = await runCli(["status", "--release-target", "v1.0.0", "--cwd", "/nonexistent/dir"], {
      cwd: process.cwd(),
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--cwd /nonexistent/dir is not a directory");
  });

  it("answers a missing command with one JSON value under --json", async () => {
    const res = await runCli(["--json"], { cwd: process.cwd() });
    expect(res.code).toBe(2);
    expect(res.json()).toEqual({
      ok: false,
      exitCode: 2,
      error: "no command given",
      hint: "run shipgate --help",
      next: { command: ["shipgate", "--help"], reason: "run shipgate --help" },
    });
  });
});
