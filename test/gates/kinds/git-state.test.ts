import { afterEach, describe, expect, it } from "vitest";
import { gitStateGateSchema, gitStateKind } from "../../../src/gates/kinds/git-state.js";
import { createRepo, type TempRepo } from "../../helpers/repo.js";
import { gateContext } from "./context.js";

const gate = (requireUpstream = false) =>
  gitStateGateSchema.parse({ id: "clean", kind: "git-state", requireUpstream });

describe("git-state", () => {
  const repos: TempRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });

  it("passes on a clean tree, ignoring the evidence directory", async () => {
    const repo = createRepo({ "a.txt": "a" });
    repos.push(repo);
    repo.write(".shipgate/v1.2.0/evidence.json", "{}");
    expect(await gitStateKind.run(gate(), gateContext(repo.dir))).toMatchObject({
      status: "pass",
      summary: "working tree clean, no upstream",
    });
    expect((await gitStateKind.run(gate(true), gateContext(repo.dir))).status).toBe("fail");
  });

  it("fails listing dirty entries and unpushed commits", async () => {
    const remote = createRepo({ "a.txt": "a" });
    const repo = createRepo({});
    repos.push(remote, repo);
    repo.git("remote", "add", "origin", remote.dir);
    repo.git("fetch", "-q", "origin");
    repo.git("checkout", "-q", "-B", "main", "--track", "origin/main");
    expect((await gitStateKind.run(gate(true), gateContext(repo.dir))).summary).toBe(
      "working tree clean, in step with origin/main",
    );
    repo.write("b.txt", "b");
    repo.commit("local only");
    repo.write("a.txt", "changed");
    repo.write("new.txt", "n");
    const outcome = await gitStateKind.run(gate(), gateContext(repo.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toContain("working tree not clean (2): M a.txt, ?? new.txt");
    expect(outcome.summary).toContain("1 local commit(s) not pushed to origin/main");
  });
});
