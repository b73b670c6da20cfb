// Test helper for the GitHub release mechanics: a real release repository with a bare origin remote
// (main and the earlier tags pushed, upstream set), and a loopback GitHub holding the Plasmite-like
// workflows, the Actions secret, a green CI run and a successful build run of v0.3.0 for HEAD (its
// release-metadata and sha256sums.txt artifacts), plus a Homebrew tap whose formula matches the build.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import {
  type ArtifactInput,
  type FakeRepo,
  type GitHubStandIn,
  type JobInput,
  type RunInput,
  startGitHubStandIn,
} from "../../scripts/loopback/github.js";
import type { Ledger } from "../../src/evidence/schema.js";
import { PLATFORMS, plasmiteFormula, REPO, sumsText, TEMPLATE } from "../homebrew/fixtures.js";
import { runCli } from "./cli.js";
import { releaseRepo } from "./demo-repo.js";
import { type TempRepo, tempDir } from "./repo.js";

export const TOKEN = `ghp_${"M3ch4n1cs".repeat(4)}`;
export const TAP = "sandover/homebrew-tap";
export const FORMULA = "Formula/plasmite.rb";
export const TARGET = "v0.3.0";
export const T = ["--release-target", TARGET];

/** A config for the mechanics tests: one gate, the GitHub repo, fast polls, the tap. */
export function mechanicsConfig(extra = ""): string {
  return `gates:
  - id: unit
    name: unit tests
    run: test "$UNIT_OK" = 1
github:
  repo: ${REPO}
  requiredSecrets: [NPM_TOKEN]
  pollInterval: 5ms
  pollMaxInterval: 20ms
  runAppearTimeout: 2s
homebrew:
  tapRepo: ${TAP}
  formulaPath: ${FORMULA}
  assetTemplate: '${TEMPLATE}'
  platforms: [${PLATFORMS.join(", ")}]
${extra}`;
}

export interface BuildRunOptions {
  metadata?: Record<string, unknown> | string;
  conclusion?: RunInput["conclusion"];
  jobs?: JobInput[];
  artifacts?: ArtifactInput[];
  headSha?: string;
  headBranch?: string;
  workflow?: string;
  sums?: string;
  /** Observations before the run completes (default 2: the build wait sees it queued first). */
  polls?: number;
}

export interface Mechanics {
  repo: TempRepo;
  gh: GitHubStandIn;
  hub: FakeRepo;
  tap: FakeRepo;
  head: string;
  env: NodeJS.ProcessEnv;
  cli(args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runCli>;
  /** Mutating requests GitHub received (POST/PUT/PATCH/DELETE). */
  mutating(): { method: string; path: string; body: string }[];
  dispatches(): { workflow: string; ref: string; inputs: Record<string, unknown> }[];
  remoteTags(): string;
  ledger(): Ledger;
  /** Scripts a build run of the release workflow (default: a successful push run of v0.3.0 at HEAD). */
  buildRun(options?: BuildRunOptions): number;
  cleanup(): Promise<void>;
}

export function metadataFor(sha: string, tag = TARGET, version = tag.replace(/^v/, "")) {
  return { tag, version, source_sha: sha, source_ref: `refs/tags/${tag}` };
}

export async function mechanics(
  options: { config?: string; files?: Record<string, string> } = {},
): Promise<Mechanics> {
  const repo = releaseRepo(options.config ?? mechanicsConfig());
  for (const [file, content] of Object.entries(options.files ?? {})) repo.write(file, content);
  if (options.files) repo.commit("release machinery");
  const head = repo.git("rev-parse", "HEAD");
  const remoteDir = tempDir("shipgate-origin-");
  const remote = path.join(remoteDir, "origin.git");
  repo.git("init", "-q", "--bare", remote);
  repo.git("remote", "add", "origin", remote);
  repo.git("push", "-q", "-u", "origin", "main", "v0.1.0", "v0.2.0");

  const gh = await startGitHubStandIn({ token: TOKEN, repos: [REPO, TAP] });
  const hub = gh.repo(REPO);
  hub.setBranch("main", head);
  hub.addReleaseWorkflows();
  hub.addSecret("NPM_TOKEN");
  hub.addRun({ workflow: "ci.yml", event: "push", headSha: head, headBranch: "main" });
  const tap = gh.repo(TAP);
  tap.setContent(FORMULA, plasmiteFormula("0.3.0"));

  const env = {
    GH_TOKEN: TOKEN,
    GITHUB_TOKEN: "",
    SHIPGATE_GITHUB_API_URL: gh.url,
    UNIT_OK: "1",
  };
  const m: Mechanics = {
    repo,
    gh,
    hub,
    tap,
    head,
    env,
    cli: (args, more) => runCli([...args, "--json"], { cwd: repo.dir, env: { ...env, ...more } }),
    mutating: () => gh.mutating().map((r) => ({ method: r.method, path: r.path, body: r.body })),
    dispatches: () => hub.dispatches.map((d) => ({ workflow: d.workflow, ref: d.ref, inputs: d.inputs })),
    remoteTags: () => repo.git("ls-remote", "--tags", "origin"),
    ledger: () => JSON.parse(readFileSync(path.join(repo.dir, `.shipgate/${TARGET}/evidence.json`), "utf8")),
    buildRun(o = {}) {
      const metadata = o.metadata ?? metadataFor(head);
      return hub.addRun({
        workflow: o.workflow ?? "release.yml",
        event: "push",
        headSha: o.headSha ?? head,
        headBranch: o.headBranch ?? TARGET,
        conclusion: o.conclusion ?? "success",
        completeAfterPolls: o.polls ?? 2,
        jobs: o.jobs ?? [{ name: "release-context" }, { name: "build-native" }, { name: "build-node-dist" }],
        artifacts: o.artifacts ?? [
          {
            name: "release-metadata",
            files: { "metadata.json": typeof metadata === "string" ? metadata : JSON.stringify(metadata) },
          },
          { name: "sdk-archives", files: { "sha256sums.txt": o.sums ?? sumsText("0.3.0") } },
        ],
      }).id;
    },
    async cleanup() {
      await gh.close();
      repo.cleanup();
      rmSync(remoteDir, { recursive: true, force: true });
    },
  };
  return m;
}

/** init → gates (pass) → tag, in the given mode. */
export async function tagged(m: Mechanics, mode: "live" | "dry-run"): Promise<void> {
  const steps = [
    ["init", ...T, "--base-tag", "v0.2.0", "--mode", mode, "--agent", "tester@ci"],
    ["gates", ...T],
    ["tag", ...T],
  ];
  for (const args of steps) {
    const r = await m.cli(args);
    if (r.code !== 0) throw new Error(`${args.join(" ")} exited ${r.code}: ${r.stdout}${r.stderr}`);
  }
}
