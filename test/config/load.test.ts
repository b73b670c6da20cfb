import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { configJsonSchema } from "../../src/config/schema.js";
import { runCli } from "../helpers/cli.js";
import { createRepo, type TempRepo } from "../helpers/repo.js";

function errorOf(text: string, file = "shipgate.yaml"): string {
  try {
    parseConfig(file, text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("config validation", () => {
  it("accepts a file holding only `gates: []` and fills defaults", () => {
    const config = parseConfig("shipgate.yaml", "gates: []\n");
    expect(config.evidenceDir).toBe(".shipgate");
    expect(config.tracker.kind).toBe("local");
    expect(config.github.publishWorkflow).toBe("release-publish.yml");
  });

  it("treats YAML and JSON alike", () => {
    const yaml = parseConfig(
      "shipgate.yaml",
      "gates:\n  - id: fmt\n    run: cargo fmt --check\n    timeout: 10m\n",
    );
    const json = parseConfig(
      "shipgate.json",
      JSON.stringify({ gates: [{ id: "fmt", run: "cargo fmt --check", timeout: "10m" }] }),
    );
    expect(json).toEqual(yaml);
    expect(yaml.gates[0]).toMatchObject({ kind: "command", run: ["cargo fmt --check"], timeout: 600_000 });
  });

  it.each([
    ["an unknown top-level key", "gatez: []\n", /shipgate\.yaml: gatez: unknown key "gatez"/],
    [
      "an unknown gate key",
      "gates:\n  - id: a\n    run: x\n    tiemout: 5\n",
      /gates\[0\]\.tiemout: unknown key/,
    ],
    ["a wrong type", "evidenceDir: 3\n", /evidenceDir: .*expected string/],
    ["a bad regex", "tagPattern: '^v(\\d+'\n", /tagPattern: not a valid regular expression/],
    [
      "an unknown gate kind",
      "gates:\n  - id: a\n    kind: lint\n",
      /gates\[0\]\.kind: unknown kind "lint"; expected `kind` to be one of: command, /,
    ],
    [
      "a bad duration",
      "gates:\n  - id: a\n    run: x\n    timeout: soon\n",
      /gates\[0\]\.timeout: expected a positive duration/,
    ],
    ["a duplicate id", "gates:\n  - { id: a, run: x }\n  - { id: a, run: y }\n", /duplicate gate id "a"/],
    [
      "an unknown `after`",
      "gates:\n  - { id: a, run: x, after: [b] }\n",
      /gates\[0\]\.after\[0\]: unknown gate id "b"/,
    ],
    [
      "an `after` cycle",
      "gates:\n  - { id: a, run: x, after: [b] }\n  - { id: b, run: y, after: [a] }\n",
      /cycle: a -> b -> a/,
    ],
    ["broken YAML", "gates: [\n", /not valid YAML/],
    ["a list at the top", "- a\n", /expected a mapping/],
    [
      "an empty workflow rule",
      "gates:\n  - { id: c, kind: workflow-contract, rules: [{ workflow: ci.yml }] }\n",
      /gates\[0\]\.rules\[0\]: a rule must require at least one/,
    ],
    [
      "a bad tracker kind",
      "tracker: { kind: jira }\n",
      /tracker\.kind: unknown kind "jira"; expected `kind` to be one of: local, ergo, github/,
    ],
  ])("rejects %s with the key path", (_what, text, message) => {
    expect(errorOf(text)).toMatch(message);
  });

  it("rejects broken JSON naming the file", () => {
    expect(errorOf("{", "shipgate.json")).toMatch(/^shipgate\.json: not valid JSON/);
  });

  it("keeps schema/shipgate.schema.json in step with the zod schema", () => {
    const committed = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, "../../schema/shipgate.schema.json"), "utf8"),
    );
    expect(committed).toEqual(configJsonSchema());
  });
});

describe("shipgate config", () => {
  let repo: TempRepo | undefined;
  afterEach(() => repo?.cleanup());

  it("check exits 0 on a valid file and 2 naming file and key on an invalid one", async () => {
    repo = createRepo({ "shipgate.yaml": "gates:\n  - { id: a, run: 'true' }\n" });
    const ok = await runCli(["config", "check", "--json"], { cwd: repo.dir });
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, gates: ["a"] });

    writeFileSync(path.join(repo.dir, "shipgate.yaml"), "gates:\n  - { id: a, run: 'true', colour: red }\n");
    const bad = await runCli(["config", "check"], { cwd: repo.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('shipgate.yaml: gates[0].colour: unknown key "colour"');
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a missing config with exit 2", async () => {
    repo = createRepo({ "README.md": "x\n" });
    const res = await runCli(["config", "check"], { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no shipgate\.yaml, shipgate\.yml, shipgate\.json in/);
    const explicit = await runCli(["config", "check", "--config", "nope.yaml"], { cwd: repo.dir });
    expect(explicit.code).toBe(2);
    expect(explicit.stderr).toContain("config file nope.yaml does not exist");
  });

  it("schema prints a JSON Schema that describes the gate kinds", async () => {
    repo = createRepo({ "shipgate.yaml": "gates: []\n" });
    const res = await runCli(["config", "schema"], { cwd: repo.dir });
    expect(res.code).toBe(0);
    const schema = res.json<{ properties: Record<string, unknown> }>();
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["gates", "tracker", "github", "bench", "channels"]),
    );
    expect(res.stdout).toContain("workflow-contract");
  });

  it("is found from a subdirectory up to the repository root, and two candidates are refused", async () => {
    repo = createRepo({ "shipgate.yaml": "gates: [{ id: a, run: 'true' }]\n", "deep/er/x.txt": "x\n" });
    const fromBelow = await runCli(["config", "check", "--json"], { cwd: path.join(repo.dir, "deep/er") });
    expect(fromBelow.code).toBe(0);
    expect(fromBelow.json<{ file: string }>().file).toBe(path.join(repo.dir, "shipgate.yaml"));
    // Never above the repository: a config in a parent of the repository is not this project's.
    writeFileSync(path.join(repo.dir, "shipgate.json"), '{"gates": []}');
    const both = await runCli(["config", "check"], { cwd: repo.dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("both shipgate.yaml and shipgate.json exist");
    expect(both.stderr.trim().split("\n")[0]).toMatch(/^shipgate: error: /);
  });
});
