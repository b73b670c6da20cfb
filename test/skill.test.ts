// The agent skill stays true: every shipgate command in skills/shipgate/SKILL.md is run, in the order the
// skill gives, against the demo project and its loopback world, and none is refused as a usage error.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type DemoRepo, fixChangelog } from "../scripts/demo-repo.js";
import { type DemoWorld, demoSetup } from "../scripts/loopback/demo-world.js";
import { runCli } from "./helpers/cli.js";

const skill = readFileSync(path.resolve(import.meta.dirname, "../skills/shipgate/SKILL.md"), "utf8");
const blocks = [...skill.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
  (m[1] as string)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("shipgate ")),
);

let s: { repo: DemoRepo; world: DemoWorld } | undefined;
afterAll(async () => {
  await s?.world.close();
  if (s) {
    rmSync(s.repo.dir, { recursive: true, force: true });
    rmSync(s.repo.remote, { recursive: true, force: true });
  }
});

describe("skills/shipgate/SKILL.md", () => {
  it("has front matter naming the skill and saying when to use it", () => {
    expect(skill).toMatch(/^---\nname: shipgate\ndescription: .+\n---\n/);
  });

  it("runs every command it documents, in its order, with no usage error", async () => {
    expect(blocks).toHaveLength(2);
    s = await demoSetup();
    const { repo, world } = s;
    const env = world.env();
    let blockerId = "";
    const run = async (line: string) => {
      const argv = line
        .replace(/<vX\.Y\.Z>/g, "v0.3.0")
        .replace(/<base>/g, "v0.2.0")
        .replace(/<model@host>/g, "skill@test")
        .replace(/<id>/g, blockerId)
        .split(/\s+/)
        .slice(1);
      const r = await runCli(argv, { cwd: repo.dir, env });
      expect(r.code, `${line}: ${r.stderr}`).not.toBe(2);
      expect(r.json(), line).toHaveProperty("next");
      return r;
    };
    const codes: Record<string, number | null> = {};
    for (const line of blocks[0] ?? []) codes[line] = (await run(line)).code;
    // The first run stops at the demo's failing gate; fixing it is the operator's work.
    expect(Object.values(codes)).toEqual([0, 0, 1]);
    const head = fixChangelog(repo);
    world.pushed(head);
    world.built("v0.3.0", head);
    for (const line of blocks[1] ?? []) {
      const r = await run(line);
      codes[line] = r.code;
      if (line.startsWith("shipgate blockers list"))
        blockerId = r.json<{ tasks: { id: string; open: boolean }[] }>().tasks.find((t) => t.open)?.id ?? "";
    }
    const steps = (blocks[1] ?? []).filter((l) => !/ (status|blockers list) /.test(l));
    for (const line of steps) expect(codes[line], line).toBe(0);
  });
});
