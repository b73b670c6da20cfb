// Run artifacts through the real client against the loopback GitHub: listed, downloaded (302 to the
// zip) and read in memory; a missing, expired, empty or unsafe artifact is incomplete, never a pass.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../../scripts/loopback/github.js";
import { githubConfigSchema } from "../../src/config/base.js";
import { runArtifactFiles } from "../../src/github/artifacts.js";
import { githubFor } from "../../src/github/client.js";

const TOKEN = "ghp_artifactTestToken0123456789abcdefghij";
let gh: GitHubStandIn;
const saved = { ...process.env };

beforeEach(async () => {
  gh = await startGitHubStandIn({ token: TOKEN, repos: ["acme/widget"] });
  gh.repo().addWorkflow({ path: ".github/workflows/release.yml", name: "release" });
  Object.assign(process.env, { GH_TOKEN: TOKEN });
});
afterEach(async () => {
  await gh.close();
  process.env = { ...saved };
});

const client = () =>
  githubFor(githubConfigSchema.parse({ repo: "acme/widget", apiUrl: gh.url }), process.cwd());

describe("run artifacts", () => {
  it("downloads and reads the named artifacts", async () => {
    const run = gh.repo().addRun({
      workflow: "release.yml",
      artifacts: [
        { name: "release-metadata", files: { "metadata.json": '{"tag":"v1.0.0"}' } },
        { name: "sdk", files: { "sha256sums.txt": "abc  x.tar.gz\n", "dir/a.txt": "a" } },
      ],
    });
    const files = await runArtifactFiles(await client(), run.id, ["release-metadata"]);
    expect([...files.keys()]).toEqual(["release-metadata"]);
    expect(files.get("release-metadata")?.get("metadata.json")?.toString()).toBe('{"tag":"v1.0.0"}');
    const all = await runArtifactFiles(await client(), run.id);
    expect(all.get("sdk")?.get("dir/a.txt")?.toString()).toBe("a");
  });

  it("is incomplete for a missing or expired artifact, a garbage zip, or a wrong-shape listing", async () => {
    const run = gh.repo().addRun({
      workflow: "release.yml",
      artifacts: [{ name: "old", files: { "a.txt": "a" }, expired: true }],
    });
    await expect(runArtifactFiles(await client(), run.id, ["release-metadata"])).rejects.toThrow(
      /has no artifact named release-metadata \(it has: old\)/,
    );
    await expect(runArtifactFiles(await client(), run.id, ["old"])).rejects.toThrow(/has expired/);
    gh.fail(`GET /repos/acme/widget/actions/runs/${run.id}/artifacts`, { status: 200, body: { foo: 1 } });
    await expect(runArtifactFiles(await client(), run.id)).rejects.toThrow(/unexpected shape/);
    gh.clearFaults();
    const good = gh.repo().addRun({ workflow: "release.yml", artifacts: [{ name: "m", files: { a: "b" } }] });
    gh.fail(/\/_blobs\//, { status: 200, body: "not a zip" });
    await expect(runArtifactFiles(await client(), good.id, ["m"])).rejects.toThrow(
      /unreadable|other than bytes/,
    );
  });
});
