// `shipgate provenance --run-id N` without a ledger, against the loopback GitHub: a good build passes
// with its summary; each violation is its own exit-1 message; what cannot be read (API down, token
// rejected, artifact missing, zip unreadable) is exit 3, never a pass.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeRepo, type GitHubStandIn, startGitHubStandIn } from "../../scripts/loopback/github.js";
import { runCli } from "../helpers/cli.js";
import { createRepo, type TempRepo } from "../helpers/repo.js";

const TOKEN = `ghp_${"Pr0v3n4nc3".repeat(4)}`;
const SHA = "3".repeat(40);
let gh: GitHubStandIn;
let hub: FakeRepo;
let repo: TempRepo;

beforeAll(async () => {
  gh = await startGitHubStandIn({ token: TOKEN, repos: ["sandover/plasmite"] });
  hub = gh.repo();
  hub.addWorkflow({ path: "release.yml", name: "release" });
  hub.addWorkflow({ path: "ci.yml", name: "ci" });
  hub.addTag("v0.3.0", { sha: SHA });
  repo = createRepo({ "shipgate.yaml": "github: { repo: sandover/plasmite }\n" });
});
afterAll(async () => {
  await gh.close();
  repo.cleanup();
});

const metadata = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    tag: "v0.3.0",
    version: "0.3.0",
    source_sha: SHA,
    source_ref: "refs/tags/v0.3.0",
    ...over,
  });

function run(
  options: {
    workflow?: string;
    conclusion?: "success" | "failure";
    metadata?: string;
    artifact?: string;
  } = {},
) {
  return hub.addRun({
    workflow: options.workflow ?? "release.yml",
    headSha: SHA,
    headBranch: "v0.3.0",
    conclusion: options.conclusion ?? "success",
    artifacts: [
      {
        name: options.artifact ?? "release-metadata",
        files: { "metadata.json": options.metadata ?? metadata() },
      },
    ],
  }).id;
}

const check = (id: number, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  runCli(["provenance", "--run-id", String(id), ...extra, "--json"], {
    cwd: repo.dir,
    env: { GH_TOKEN: TOKEN, GITHUB_TOKEN: "", SHIPGATE_GITHUB_API_URL: gh.url, ...env },
  });

type Report = {
  report: { problems: { id: string; message: string }[]; metadata: unknown; url: string; event: string };
};

describe("shipgate provenance (no ledger)", () => {
  it("passes a good build run, with its summary and the publish-only command next", async () => {
    const id = run();
    const r = await check(id, ["--expect-tag", "v0.3.0"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = r.json<Report & { next: { command: string[] } }>();
    expect(out.report).toMatchObject({
      problems: [],
      event: "push",
      metadata: { tag: "v0.3.0", version: "0.3.0", source_sha: SHA },
      url: expect.stringContaining(`/actions/runs/${id}`),
    });
    expect(out.next.command).toEqual([
      "shipgate",
      "publish",
      "--release-target",
      "v0.3.0",
      "--build-run-id",
      String(id),
    ]);
    const human = await runCli(["provenance", "--run-id", String(id)], {
      cwd: repo.dir,
      env: { GH_TOKEN: TOKEN, SHIPGATE_GITHUB_API_URL: gh.url },
    });
    expect(human.stdout).toContain(
      `run ${id}: release (.github/workflows/release.yml), completed/success, event push`,
    );
    expect(human.stdout).toContain(`metadata: tag v0.3.0, version 0.3.0, source_sha ${SHA}`);
  });

  it.each([
    [
      "the wrong workflow",
      () => run({ workflow: "ci.yml" }),
      [],
      "workflow",
      "a build run id from another workflow",
    ],
    [
      "a failed run",
      () => run({ conclusion: "failure" }),
      [],
      "conclusion",
      "concluded failure, not success",
    ],
    [
      "version ≠ tag",
      () => run({ metadata: metadata({ version: "0.3.1" }) }),
      [],
      "version",
      "tag/version mismatch",
    ],
    ["tag ≠ expected", () => run(), ["--expect-tag", "v0.4.0"], "expected-tag", "is not the expected v0.4.0"],
    [
      "no v prefix",
      () => run({ metadata: metadata({ tag: "0.3.0" }) }),
      [],
      "tag-prefix",
      "does not start with v",
    ],
    [
      "source_sha ≠ the tag's commit",
      () => run({ metadata: metadata({ source_sha: "4".repeat(40) }) }),
      [],
      "source-sha",
      `is not v0.3.0's commit ${SHA.slice(0, 12)}`,
    ],
    [
      "metadata.json not JSON",
      () => run({ metadata: "{tag: v0.3.0" }),
      [],
      "metadata",
      "malformed: not JSON",
    ],
    [
      "metadata.json without version",
      () => run({ metadata: JSON.stringify({ tag: "v0.3.0", source_sha: SHA }) }),
      [],
      "metadata",
      "malformed: version",
    ],
  ] as const)("fails (exit 1) for %s", async (_name, make, extra, id, message) => {
    const r = await check(make(), [...extra]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const problems = r.json<Report>().report.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ id, message: expect.stringContaining(message) });
  });

  it("is incomplete (exit 3) for a missing artifact, an unreadable zip, GitHub down or the token rejected", async () => {
    const missing = await check(run({ artifact: "something-else" }));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("has no artifact named release-metadata (it has: something-else)");

    const id = run();
    const zipFault = gh.fail(/\/_blobs\//, { status: 200, body: "not a zip" });
    const unreadable = await check(id);
    zipFault.clear();
    expect(unreadable.code).toBe(3);

    const down = await check(id, [], { SHIPGATE_GITHUB_API_URL: "http://127.0.0.1:9" });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("GitHub could not be reached");

    const rejected = await check(id, [], { GH_TOKEN: "ghp_wrongwrongwrongwrongwrongwrong0000" });
    expect(rejected.code).toBe(3);
    expect(rejected.stderr).toContain("the token was rejected");
    expect(rejected.stderr).toMatch(/hint: .*GH_TOKEN.*`repo` and `workflow` scopes/);
    expect(rejected.stdout + rejected.stderr).not.toContain("wrongwrong");

    const noRun = await check(999);
    expect(noRun.code).toBe(3);
    expect(noRun.stderr).toContain("run 999 of sandover/plasmite was not found");
    expect((await runCli(["provenance", "--json"], { cwd: repo.dir })).code).toBe(2);
  });
});
