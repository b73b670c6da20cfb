import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../../src/config/load.js";
import {
  checkWorkflow,
  workflowContractGateSchema,
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
const PUBLISH = ".github/workflows/release-publish.yml";
/** A GitHub Actions expression, `${{ body }}`, written without tripping the template-string lint. */
const expr = (body: string) => `$\{{ ${body} }}`;

describe("workflow-contract on the Plasmite example", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const withPlasmiteWorkflows = () => {
    repo = createRepo({ "README.md": "x" });
    cpSync(path.join(PLASMITE, ".github"), path.join(repo.dir, ".github"), { recursive: true });
  };
  const edit = (file: string, from: string, to: string) => {
    const full = path.join(repo.dir, file);
    const text = readFileSync(full, "utf8");
    // Guard against a fixture edit silently turning a mutation into a no-op.
    expect(text).toContain(from);
    writeFileSync(full, text.replace(from, to));
  };

  it("passes on the workflows written to satisfy it", async () => {
    withPlasmiteWorkflows();
    const outcome = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(outcome).toMatchObject({ status: "pass", summary: "2 workflows keep their contract" });
  });

  it("fails naming the workflow, job and rule when one `needs` entry is removed", async () => {
    withPlasmiteWorkflows();
    edit(
      PUBLISH,
      "needs: [resolve-build-run, publish-preflight, collect-build-artifacts, verify-homebrew-tap, publish-pypi, publish-crates-io, publish-npm]",
      "needs: [resolve-build-run, publish-preflight, collect-build-artifacts, verify-homebrew-tap, publish-crates-io, publish-npm]",
    );
    const outcome = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toBe("[needs] release-publish.yml: job `release` does not need `publish-pypi`");
    expect(outcome.details).toMatchObject({
      violations: [{ workflow: "release-publish.yml", job: "release", rule: "needs" }],
    });
  });

  // Each edit breaks exactly one part of DESIGN.md's gate 0; the gate must name that part.
  it.each([
    [
      "the workflow_run trigger",
      '  workflow_run:\n    workflows: ["release"]\n    types: [completed]\n',
      "",
      "[triggers] release-publish.yml lacks the `workflow_run` trigger",
    ],
    [
      "a dispatch input",
      "      skip_pypi: { type: boolean, default: false }\n",
      "",
      "[dispatchInputs] release-publish.yml: workflow_dispatch lacks the `skip_pypi` input",
    ],
    [
      "the build-success guard",
      " || github.event.workflow_run.conclusion == 'success'",
      "",
      "[if] release-publish.yml: job `resolve-build-run`'s if: does not contain `github.event.workflow_run.conclusion == 'success'`",
    ],
    [
      "a publish job forced to run after failures",
      `    if: ${expr("!inputs.skip_npm")}`,
      `    if: ${expr("always() && !inputs.skip_npm")}`,
      "[ifNot] release-publish.yml: job `publish-npm`'s if: contains `always()`",
    ],
    [
      "the provenance download",
      "--name release-metadata",
      "--name build-info",
      "[steps] release-publish.yml: job `resolve-build-run`'s steps never mention `release-metadata`",
    ],
    [
      "the build workflow it follows",
      'workflows: ["release"]',
      'workflows: ["ci"]',
      "[values] release-publish.yml: `on.workflow_run.workflows` does not hold `release`",
    ],
    [
      "a job",
      "  verify-homebrew-tap:\n",
      "  verify-tap:\n",
      "release-publish.yml: job `verify-homebrew-tap` does not exist",
    ],
  ])("fails naming the rule when %s is lost", async (_what, from, to, expected) => {
    withPlasmiteWorkflows();
    edit(PUBLISH, from, to);
    const outcome = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toContain(expected);
  });

  it("still needs the secret's name in preflight: the env entry alone keeps the contract", async () => {
    withPlasmiteWorkflows();
    // The loop lost CARGO_REGISTRY_TOKEN, but the step's env still names it: the steps rule (a
    // mention) holds. Removing the env entry too breaks it.
    edit(
      PUBLISH,
      "for name in NPM_TOKEN PYPI_API_TOKEN CARGO_REGISTRY_TOKEN",
      "for name in NPM_TOKEN PYPI_API_TOKEN",
    );
    expect((await workflowContractKind.run(contractGate(), gateContext(repo.dir))).status).toBe("pass");
    edit(PUBLISH, `          CARGO_REGISTRY_TOKEN: ${expr("secrets.CARGO_REGISTRY_TOKEN")}\n`, "");
    const outcome = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(outcome.summary).toBe(
      "[steps] release-publish.yml: job `publish-preflight`'s steps never mention `CARGO_REGISTRY_TOKEN`",
    );
  });

  it("fails on a missing workflow file and on broken YAML, naming the file", async () => {
    repo = createRepo({ "README.md": "x" });
    const missing = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(missing.status).toBe("fail");
    expect(missing.summary).toBe(
      "[parse] .github/workflows/release.yml: file not found; [parse] .github/workflows/release-publish.yml: file not found",
    );
    repo.write(".github/workflows/release.yml", "on: [push\njobs: {");
    mkdirSync(path.join(repo.dir, PUBLISH));
    const broken = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(broken.summary).toMatch(/^\[parse\] \.github\/workflows\/release\.yml: cannot parse as YAML: /);
    expect(broken.summary).toContain("[parse] .github/workflows/release-publish.yml: is a directory");
    repo.write(".github/workflows/release.yml", "on: push\non: pull_request\n");
    const duplicate = await workflowContractKind.run(contractGate(), gateContext(repo.dir));
    expect(duplicate.summary).toMatch(/release\.yml: cannot parse as YAML: .*[Uu]nique/);
  });
});

describe("workflow-contract rules", () => {
  const rule = (r: Record<string, unknown>) => workflowRuleSchema.parse({ workflow: "w.yml", ...r });

  it("reads every form of `on:`", () => {
    expect(checkWorkflow(rule({ triggers: ["push"] }), parse("on: push\n"))).toEqual([]);
    expect(
      checkWorkflow(
        rule({ triggers: ["push", "workflow_dispatch"] }),
        parse("on: [push, workflow_dispatch]\n"),
      ),
    ).toEqual([]);
    expect(checkWorkflow(rule({ triggers: ["push"] }), parse("on:\n  push:\n    tags: ['v*']\n"))).toEqual(
      [],
    );
    // A YAML 1.1 reader turns the key `on` into `true`.
    expect(checkWorkflow(rule({ triggers: ["push"] }), { true: { push: null } })).toEqual([]);
    expect(checkWorkflow(rule({ triggers: ["push"] }), parse("on: push\n", { version: "1.1" }))).toEqual([]);
    expect(checkWorkflow(rule({ triggers: ["push"] }), parse("name: x\n"))).toMatchObject([
      { rule: "triggers" },
    ]);
    expect(checkWorkflow(rule({ values: { "on.push.tags": "v*" } }), parse("on: [push]\n"))).toMatchObject([
      {
        rule: "values",
        message: "w.yml: `on.push.tags` is missing (no `tags` under on.push), so lacks `v*`",
      },
    ]);
  });

  it("names each broken rule", () => {
    const doc = parse(`
on:
  workflow_dispatch:
    inputs: { build_run_id: {} }
jobs:
  a: { if: "github.event.workflow_run.conclusion == 'failure' || always()", steps: [{ run: echo hi }] }
  b: { needs: a, steps: [] }
`);
    const violations = checkWorkflow(
      rule({
        triggers: ["workflow_run"],
        dispatchInputs: ["build_run_id", "rehearsal"],
        jobs: ["c"],
        needs: { b: ["a", "c"] },
        if: { a: "github.event.workflow_run.conclusion == 'success'" },
        ifNot: { a: ["always()", "failure()"] },
        steps: { a: "NPM_TOKEN" },
        values: { "on.workflow_dispatch.inputs": ["build_run_id", "tag"] },
      }),
      doc,
    );
    expect(violations.map((v) => `[${v.rule}] ${v.message}`)).toEqual([
      "[triggers] w.yml lacks the `workflow_run` trigger",
      "[dispatchInputs] w.yml: workflow_dispatch lacks the `rehearsal` input",
      "[jobs] w.yml: job `c` does not exist",
      "[needs] w.yml: job `b` does not need `c`",
      "[if] w.yml: job `a`'s if: does not contain `github.event.workflow_run.conclusion == 'success'`",
      "[ifNot] w.yml: job `a`'s if: contains `always()`",
      "[steps] w.yml: job `a`'s steps never mention `NPM_TOKEN`",
      "[values] w.yml: `on.workflow_dispatch.inputs` does not hold `tag`",
    ]);
    expect(violations.find((v) => v.rule === "needs")).toMatchObject({ workflow: "w.yml", job: "b" });
    expect(checkWorkflow(rule({ jobs: ["a"] }), parse("- just a list\n"))).toMatchObject([{ rule: "parse" }]);
    expect(checkWorkflow(rule({ jobs: ["a"] }), null)).toMatchObject([{ rule: "parse" }]);
  });

  it("follows `needs` transitively (cycles included) and ignores whitespace and expression braces in `if:`", () => {
    const doc = parse(`
on: { workflow_dispatch: {} }
jobs:
  a: { if: "\${{   github.event_name == 'workflow_dispatch'  }}", needs: c }
  b: { needs: [a] }
  c: { needs: b }
  d: { if: false }
`);
    expect(
      checkWorkflow(
        rule({ needs: { c: ["a", "b", "c"] }, if: { a: "github.event_name=='workflow_dispatch'" } }),
        doc,
      ),
    ).toEqual([]);
    expect(checkWorkflow(rule({ if: { d: "false" }, ifNot: { d: "always()" } }), doc)).toEqual([]);
    expect(checkWorkflow(rule({ needs: { a: ["d"] } }), doc)).toMatchObject([{ rule: "needs", job: "a" }]);
  });

  it("never finds Object.prototype members as triggers, inputs or jobs", () => {
    const doc = parse("on: { workflow_dispatch: { inputs: {} } }\njobs: { a: {} }\n");
    const violations = checkWorkflow(
      rule({
        triggers: ["constructor"],
        dispatchInputs: ["toString"],
        jobs: ["hasOwnProperty"],
        needs: { a: ["constructor"] },
        values: { "jobs.a.constructor": "x" },
      }),
      doc,
    );
    expect(violations.map((v) => v.rule)).toEqual(["triggers", "dispatchInputs", "jobs", "needs", "values"]);
  });

  it("refuses a rule that requires nothing, and a malformed key path", () => {
    const base = { id: "c", kind: "workflow-contract" };
    expect(() => workflowContractGateSchema.parse({ ...base, rules: [{ workflow: "w.yml" }] })).toThrow(
      /must require at least one/,
    );
    expect(() =>
      workflowContractGateSchema.parse({ ...base, rules: [{ workflow: "w.yml", values: { "on..x": "y" } }] }),
    ).toThrow(/malformed key path/);
    expect(() => workflowContractGateSchema.parse({ ...base, rules: [] })).toThrow();
  });
});
