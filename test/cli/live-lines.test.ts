// Progress of a waiting step: a live block redrawn in place on a TTY (each keyed line replaced, lines
// cut to the width), one line per change otherwise, and stderr under --json.
import { describe, expect, it } from "vitest";
import { liveLines } from "../../src/cli/live-lines.js";
import { Output } from "../../src/cli/output.js";

function io(tty: boolean) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t), isTTY: tty, columns: 40 },
      stderr: { write: (t: string) => (out.stderr += t) },
      env: {},
    },
  };
}

describe("live lines", () => {
  it("redraws keyed lines in place on a TTY", () => {
    const { out, io: streams } = io(true);
    const lines = liveLines(new Output(streams, false, false));
    lines.progress("run 1: queued", "run");
    lines.progress("  job build: queued", "job build");
    lines.progress("run 1: in_progress", "run");
    lines.progress(`  job build: ${"x".repeat(60)}`, "job build");
    lines.done();
    const frames = out.stdout.split("\u001b[2A\r\u001b[0J");
    expect(frames).toHaveLength(3);
    expect(frames[2]).toBe(`run 1: in_progress\n  job build: ${"x".repeat(25)}…\n`);
  });

  it("writes one line per change off a TTY, and to stderr with --json", () => {
    const plain = io(false);
    const a = liveLines(new Output(plain.io, false, false));
    a.progress("run 1: queued", "run");
    a.progress("run 1: completed: success", "run");
    expect(plain.out.stdout).toBe("run 1: queued\nrun 1: completed: success\n");
    const json = io(true);
    liveLines(new Output(json.io, true, false)).progress("run 1: queued", "run");
    expect(json.out).toEqual({ stdout: "", stderr: "run 1: queued\n" });
  });
});
