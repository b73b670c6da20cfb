// The mechanics' github.* keys: defaults are the Plasmite workflows' values, the Plasmite example states
// every one of them and passes `shipgate config check`, and a bad value is refused naming its key.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { githubConfigSchema } from "../../src/config/base.js";
import { runCli } from "../helpers/cli.js";
import { createRepo } from "../helpers/repo.js";

const PLASMITE = path.resolve(import.meta.dirname, "../../examples/plasmite");
const KEYS = [
  "dispatchInputs",
  "publishRef",
  "rehearsalWhenChanged",
  "pollInterval",
  "pollMaxInterval",
  "buildTimeout",
  "publishTimeout",
  "runAppearTimeout",
];

describe("github.* mechanics keys", () => {
  it("default to the Plasmite workflows' values", () => {
    expect(githubConfigSchema.parse({})).toMatchObject({
      buildWorkflow: "release.yml",
      publishWorkflow: "release-publish.yml",
      metadataArtifact: "release-metadata",
      dispatchInputs: {
        buildRunId: "build_run_id",
        rehearsal: "rehearsal",
        allowPartialRelease: "allow_partial_release",
        skip: { npm: "skip_npm", pypi: "skip_pypi", "crates-io": "skip_crates_io" },
      },
      rehearsalWhenChanged: [".github/workflows/**"],
      pollInterval: 10_000,
      pollMaxInterval: 60_000,
      buildTimeout: 2_700_000,
      publishTimeout: 2_700_000,
      runAppearTimeout: 120_000,
    });
  });

  it("the Plasmite example states every key and passes shipgate config check", async () => {
    const stated = (parse(readFileSync(path.join(PLASMITE, "shipgate.yaml"), "utf8")) as { github: object })
      .github;
    for (const key of KEYS)
      expect(Object.keys(stated), `examples/plasmite states github.${key}`).toContain(key);
    const r = await runCli(["config", "check", "--json"], { cwd: PLASMITE });
    expect(r.code, r.stderr).toBe(0);
    const github = r.json<{ config: { github: Record<string, unknown> } }>().config.github;
    expect(github).toMatchObject({
      publishRef: "main",
      buildTimeout: 2_700_000,
      rehearsalWhenChanged: [".github/workflows/**"],
    });
  });

  it("refuses a bad duration or skip channel name, naming the key (exit 2)", async () => {
    const repo = createRepo({ "shipgate.yaml": "github:\n  buildTimeout: soon\n" });
    try {
      const r = await runCli(["config", "check"], { cwd: repo.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("github.buildTimeout");
      repo.write("shipgate.yaml", "github:\n  dispatchInputs: { skip: { NPM: skip_npm } }\n");
      const skip = await runCli(["config", "check"], { cwd: repo.dir });
      expect(skip.code).toBe(2);
      expect(skip.stderr).toContain("github.dispatchInputs.skip.NPM");
    } finally {
      repo.cleanup();
    }
  });
});
