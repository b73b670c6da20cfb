// A scripted agent drives the demo project from `init` to a finished dry run using nothing but the
// `next` field of each --json result and the exit codes, against the demo's loopback world (GitHub, the
// registries, the tap). It knows one thing shipgate cannot do for it: how to fix a gate that blocks
// (here, by giving the changelog its dated section and pushing it).
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { type DemoRepo, fixChangelog } from "../scripts/demo-repo.js";
import { type DemoWorld, demoSetup } from "../scripts/loopback/demo-world.js";
import { runCli } from "./helpers/cli.js";

interface Next {
  command: string[];
  reason: string;
}

let repo: DemoRepo | undefined;
let world: DemoWorld | undefined;
afterAll(async () => {
  await world?.close();
  if (repo) {
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(repo.remote, { recursive: true, force: true });
  }
});

describe("an agent following next", () => {
  it("reaches the end of the dry run, fixing only what shipgate says it cannot", async () => {
    const setup = await demoSetup();
    ({ repo, world } = setup);
    const dir = setup.repo.dir;
    const env = setup.world.env();
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
    for (let step = 0; step < 30; step++) {
      expect(command[0]).toBe("shipgate");
      const r = await runCli([...command.slice(1), "--json"], { cwd: dir, env });
      const result = r.json<{ next: Next | null }>();
      transcript.push(`${command.slice(1, 3).join(" ")} -> exit ${r.code}`);
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
        const head = fixChangelog(setup.repo);
        setup.world.pushed(head);
        setup.world.built("v0.3.0", head);
        fixes.push("changelog");
      }
      command = next.command;
    }
    expect(fixes).toEqual(["changelog"]);
    const ran = transcript.map((t) => t.split(" ->")[0]);
    for (const step of [
      "init",
      "gates",
      "blockers close",
      "tag",
      "build",
      "provenance",
      "homebrew update",
      "publish-preflight",
      "publish",
      "deliver",
    ])
      expect(
        ran.some((t) => t?.startsWith(step)),
        `${step} in ${transcript.join("; ")}`,
      ).toBe(true);
    // The one mutating request of a dry run: the rehearsal dispatch.
    expect(setup.world.mutating().map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/acme/demo-pool/actions/workflows/release-publish.yml/dispatches",
    ]);
  });
});
