import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { gitStateGateSchema, gitStateKind } from "../../../src/gates/kinds/git-state.js";
import { createRepo, tempDir } from "../../helpers/repo.js";
import { gateContext } from "./context.js";

const gate = (requireUpstream = false) =>
  gitStateGateSchema.parse({ id: "clean", kind: "git-state", requireUpstream });

describe("git-state", () => {
  const cleanup: (() => void)[] = [];
  const repo = (files: Record<string, string>) => {
    const r = createRepo(files);
    cleanup.push(() => r.cleanup());
    return r;
  };
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  it("passes on a clean tree, ignoring the evidence directory; requireUpstream blocks without one", async () => {
    const r = repo({ "a.txt": "a" });
    r.write(".shipgate/v1.2.0/evidence.json", "{}");
    expect(await gitStateKind.run(gate(), gateContext(r.dir))).toMatchObject({
      status: "pass",
      summary: "working tree clean, no upstream",
      details: { dirty: [], excluded: ".shipgate" },
    });
    expect(await gitStateKind.run(gate(true), gateContext(r.dir))).toMatchObject({
      status: "fail",
      summary: "the branch has no upstream (requireUpstream is set)",
    });
  });

  it("excludes the configured evidence directory only, and copes with one outside the repository", async () => {
    const r = repo({ "a.txt": "a" });
    r.write("out/evidence/v1.2.0/evidence.json", "{}");
    const custom = parseConfig("shipgate.yaml", "evidenceDir: out/evidence\ngates: []\n");
    expect((await gitStateKind.run(gate(), gateContext(r.dir, "1.2.0", custom))).status).toBe("pass");
    // The default .shipgate is not excluded when the config moved the evidence elsewhere.
    r.write(".shipgate/stray.json", "{}");
    expect(await gitStateKind.run(gate(), gateContext(r.dir, "1.2.0", custom))).toMatchObject({
      status: "fail",
      summary: "working tree not clean (1): ?? .shipgate/stray.json",
    });
    const elsewhere = tempDir();
    cleanup.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const outside = parseConfig("shipgate.yaml", `evidenceDir: ${elsewhere}\ngates: []\n`);
    expect(await gitStateKind.run(gate(), gateContext(r.dir, "1.2.0", outside))).toMatchObject({
      status: "fail",
      details: { excluded: null },
    });
  });

  it("fails listing dirty entries (the first 10) and unpushed commits", async () => {
    const remote = repo({ "a.txt": "a" });
    const r = repo({});
    r.git("remote", "add", "origin", remote.dir);
    r.git("fetch", "-q", "origin");
    r.git("checkout", "-q", "-B", "main", "--track", "origin/main");
    expect((await gitStateKind.run(gate(true), gateContext(r.dir))).summary).toBe(
      "working tree clean, nothing unpushed to origin/main",
    );
    r.write("b.txt", "b");
    r.commit("local only");
    r.write("a.txt", "changed");
    r.write("new.txt", "n");
    const outcome = await gitStateKind.run(gate(), gateContext(r.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toBe(
      "working tree not clean (2): M a.txt, ?? new.txt; 1 local commit(s) not pushed to origin/main",
    );
    for (let i = 0; i < 12; i++) r.write(`many/${String(i).padStart(2, "0")}.txt`, "x");
    const many = await gitStateKind.run(gate(), gateContext(r.dir));
    expect(many.summary).toMatch(/^working tree not clean \(14\): M a\.txt, \?\? many\/00\.txt, .*, …;/);
    expect((many.details as { dirty: string[] }).dirty).toHaveLength(14);
  });

  it("is incomplete, never pass, when git cannot answer", async () => {
    const dir = tempDir();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const outcome = await gitStateKind.run(gate(), gateContext(dir));
    expect(outcome.status).toBe("incomplete");
    expect(outcome.summary).toMatch(/^git could not report the tree state: git status .* failed/);
  });
});
