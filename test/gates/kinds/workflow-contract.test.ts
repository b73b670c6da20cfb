import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../../src/config/load.js";
import {
  checkWorkflow,
  workflowContractKind,
  workflowRuleSchema,
} from "../../../src/gates/kinds/workflow-contract.js";
import { createRepo, type TempRepo } from "../../helpers/repo.js";
import { gateContext } from "./context.js";

const PLASMITE = path.resolve(import.meta.dirname, "../../../examples/plasmite");
const plasmiteConfig = () =>
  parseConfig("shipgate.yaml", readFileSync(path.join(PLASMITE, "shipgate.yaml"), "utf8"));
const contractGate = () => {
  const gate = plasmiteConfig().gates.find((g) => g.id === "contract");
  if (gate?.kind !== "workflow-contract") throw new Error("the Plasmite example lost its contract gate");
  return gate;
};

describe("workflow-contract", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const publishFile = () => path.join(repo.dir, ".github/workflows/release-publish.yml");

  it("passes the Plasmite contract on a workflow written to satisfy it", async () => {
    repo = createRepo({ "README.md": "x" });
    cpSync(path.join(PLASMITE, ".github"), path.join(repo.dir, ".github"), { recursive: true });
    const outcome = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(outcome).toMatchObject({ status: "pass", summary: "2 workflows keep their contract" });
  });

  it("fails naming the workflow, job and rule when one `needs` entry is removed", async () => {
    repo = createRepo({ "README.md": "x" });
    cpSync(path.join(PLASMITE, ".github"), path.join(repo.dir, ".github"), { recursive: true });
    const text = readFileSync(publishFile(), "utf8");
    writeFileSync(
      publishFile(),
      text.replace(
        "needs: [publish-crates-io, publish-npm, publish-pypi]",
        "needs: [publish-crates-io, publish-npm]",
      ),
    );
    const outcome = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toBe("[needs] release-publish.yml: job `release` does not need `publish-pypi`");
    expect(outcome.details).toMatchObject({
      violations: [{ workflow: "release-publish.yml", job: "release", rule: "needs" }],
    });
  });

  it("fails on a missing workflow file and on broken YAML", async () => {
    repo = createRepo({ "README.md": "x" });
    const missing = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(missing.status).toBe("fail");
    expect(missing.summary).toContain(".github/workflows/release-publish.yml does not exist");
    repo.write(".github/workflows/release.yml", "on: [push\njobs: {");
    const broken = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(broken.summary).toContain(".github/workflows/release.yml is not valid YAML");
  });

  const rule = (r: Record<string, unknown>) => workflowRuleSchema.parse({ workflow: "w.yml", ...r });
  it("reads every form of `on:` and names each broken rule", () => {
    expect(checkWorkflow(rule({ triggers: ["push"] }), parse("on: push\n"))).toEqual([]);
    expect(
      checkWorkflow(
        rule({ triggers: ["push", "workflow_dispatch"] }),
        parse("on: [push, workflow_dispatch]\n"),
      ),
    ).toEqual([]);
    // A YAML 1.1 reader turns the key `on` into `true`.
    expect(checkWorkflow(rule({ triggers: ["push"] }), { true: { push: null } })).toEqual([]);
    const doc = parse(`
on:
  workflow_dispatch:
    inputs: { build_run_id: {} }
jobs:
  a: { if: "github.event.workflow_run.conclusion == 'failure'", steps: [{ run: echo hi }] }
  b: { needs: a, steps: [] }
`);
    const violations = checkWorkflow(
      rule({
        triggers: ["workflow_run"],
        dispatchInputs: ["build_run_id", "rehearsal"],
        jobs: ["c"],
        needs: { b: ["a", "c"] },
        if: { a: "github.event.workflow_run.conclusion == 'success'" },
        steps: { a: ["NPM_TOKEN"] },
      }),
      doc,
    );
    expect(violations.map((v) => v.rule)).toEqual([
      "triggers",
      "dispatchInputs",
      "jobs",
      "needs",
      "if",
      "steps",
    ]);
    expect(violations.map((v) => v.message)).toContain(
      "w.yml: workflow_dispatch lacks the `rehearsal` input",
    );
    expect(checkWorkflow(rule({}), parse("- just a list\n"))).toMatchObject([{ rule: "parse" }]);
  });

  it("follows `needs` transitively and ignores whitespace in `if:`", () => {
    const doc = parse(`
on: { workflow_dispatch: {} }
jobs:
  a: { if: "\${{   github.event_name == 'workflow_dispatch'  }}" }
  b: { needs: [a] }
  c: { needs: b }
`);
    expect(
      checkWorkflow(
        rule({ needs: { c: ["a", "b"] }, if: { a: "github.event_name=='workflow_dispatch'" } }),
        doc,
      ),
    ).toEqual([]);
  });
});
