// `shipgate contract` through the built CLI: 0 when the workflows keep the contract, 1 naming each
// broken rule, 2 when there is no workflow-contract gate or a rule is malformed.
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { createRepo, type TempRepo } from "../helpers/repo.js";

const PLASMITE = path.resolve(import.meta.dirname, "../../examples/plasmite");
const PUBLISH = ".github/workflows/release-publish.yml";

describe("shipgate contract", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const contract = (...args: string[]) => runCli(["contract", ...args], { cwd: repo.dir });

  it("passes on the Plasmite example and fails naming the rule when a `needs` entry goes", async () => {
    repo = createRepo({ "README.md": "x" });
    cpSync(PLASMITE, repo.dir, { recursive: true });
    const ok = await contract("--json");
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({
      ok: true,
      exitCode: 0,
      gates: [
        {
          id: "contract",
          status: "pass",
          summary: "2 workflows keep their contract",
          details: { violations: [] },
        },
      ],
    });
    const file = path.join(repo.dir, PUBLISH);
    const text = readFileSync(file, "utf8");
    const from =
      "  publish-npm:\n    needs: [resolve-build-run, publish-preflight, collect-build-artifacts, verify-homebrew-tap]";
    expect(text).toContain(from);
    writeFileSync(
      file,
      text.replace(from, "  publish-npm:\n    needs: [resolve-build-run, publish-preflight]"),
    );
    const broken = await contract("--json");
    expect(broken.code).toBe(1);
    expect(broken.json()).toMatchObject({
      ok: false,
      exitCode: 1,
      gates: [
        {
          id: "contract",
          status: "fail",
          summary:
            "[needs] release-publish.yml: job `publish-npm` does not need `collect-build-artifacts`; " +
            "[needs] release-publish.yml: job `publish-npm` does not need `verify-homebrew-tap`",
          details: {
            violations: [
              { workflow: "release-publish.yml", job: "publish-npm", rule: "needs" },
              { workflow: "release-publish.yml", job: "publish-npm", rule: "needs" },
            ],
          },
        },
      ],
    });
    const human = await contract();
    expect(human.stdout).toMatch(/^fail contract: \[needs\] release-publish\.yml: job `publish-npm`/);
  });

  it("exits 1 naming a missing workflow file", async () => {
    repo = createRepo({ "README.md": "x" });
    cpSync(PLASMITE, repo.dir, { recursive: true });
    rmSync(path.join(repo.dir, ".github/workflows/release.yml"));
    const res = await contract();
    expect(res.code).toBe(1);
    expect(res.stdout.split("\n")[0]).toBe(
      "fail contract: [parse] .github/workflows/release.yml: file not found",
    );
    expect(res.stdout).toContain("next: fix contract, then check again: shipgate contract");
  });

  it("exits 2 without a workflow-contract gate, and on a rule that requires nothing", async () => {
    repo = createRepo({ "shipgate.yaml": "gates: []\n" });
    const none = await contract();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("the config has no gate of kind workflow-contract");
    repo.write(
      "shipgate.yaml",
      "gates:\n  - { id: c, kind: workflow-contract, rules: [{ workflow: a.yml }] }\n",
    );
    const hollow = await contract("--json");
    expect(hollow.code).toBe(2);
    expect(hollow.json<{ error: string }>().error).toContain("a rule must require at least one");
  });
});
