// A scripted agent drives the demo project from `init` to a finished dry run using nothing but the
// `next` field of each --json result and the exit codes. It knows one thing shipgate cannot do for it:
// how to fix a gate that blocks (here, by giving the changelog its dated section).
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createDemoRepo, type DemoRepo, fixChangelog } from "../scripts/demo-repo.js";
import { runCli } from "./helpers/cli.js";

interface Next {
  command: string[];
  reason: string;
}

let repo: DemoRepo | undefined;
afterAll(() => {
  if (repo) {
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(repo.remote, { recursive: true, force: true });
  }
});

describe("an agent following next", () => {
  it("reaches the end of the dry run, fixing only what shipgate says it cannot", async () => {
    repo = createDemoRepo();
    const dir = repo.dir;
    let command = [
      "shipgate",
      "init",
      "--release-target",
      "v0.3.0",
      "--base-tag",
      "v0.2.0",
      "--mode",
      "dry-run",
      "--agent",
      "agent@ci",
    ];
    const transcript: string[] = [];
    const fixes: string[] = [];
    for (let step = 0; step < 25; step++) {
      expect(command[0]).toBe("shipgate");
      const r = await runCli([...command.slice(1), "--json"], { cwd: dir });
      const result = r.json<{ next: Next | null }>();
      transcript.push(`${command.slice(1).join(" ")} -> exit ${r.code}`);
      expect([0, 1], `${command.join(" ")} exited ${r.code}: ${r.stderr}`).toContain(r.code);
      const next = result.next;
      expect(next, `every result says what is next: ${transcript.join("; ")}`).not.toBeNull();
      if (!next) break;
      // Done with the dry run: shipgate offers to start the live release. The agent stops here.
      if (next.command[1] === "init" && next.command.includes("live")) {
        expect(next.reason).toContain("dry run is finished");
        break;
      }
      // A blocked gate: the command to rerun it is known, the fix is the agent's own work.
      if (r.code === 1 && next.command[1] === "gates" && next.command.includes("--only")) {
        expect(next.command.at(-1)).toBe("changelog");
        fixChangelog(repo);
        fixes.push("changelog");
      }
      command = next.command;
    }
    expect(fixes).toEqual(["changelog"]);
    expect(transcript[0]).toContain("init");
    expect(transcript.some((t) => t.startsWith("tag"))).toBe(true);
    expect(transcript.some((t) => t.startsWith("blockers close"))).toBe(true);
    // The last command run was a release step, and it succeeded.
    expect(transcript.at(-1)).toMatch(/-> exit 0$/);
  });
});
