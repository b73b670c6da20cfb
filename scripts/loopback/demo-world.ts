// The demo project's world on loopback: GitHub (the project with its build, publish and CI workflows,
// and the Homebrew tap), the npm, crates.io, PyPI and Go stand-ins, and a local tap checkout. It plays
// the parts a real release has outside this machine: CI runs on every pushed commit, the build workflow
// runs for the release tag, and (for the delivery check) the registries serve the version the way a
// finished publish run leaves them. Used by `npm run demo`, the agent test and the resume test.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseDocument } from "yaml";
import { createDemoRepo, type DemoRepo } from "../demo-repo.js";
import { DeliveryWorld, formulaText } from "./delivery.js";

export const DEMO_TOKEN = `ghp_${"DemoStandIn".repeat(4)}`;
const REPO = "acme/demo-pool";
const TAP = "acme/homebrew-tap";
const NAME = "demo-pool";
const PLATFORMS = ["darwin_amd64", "darwin_arm64", "linux_amd64"];
const SDK = ["bin/demo-pool", "include/demo-pool.h"];

export class DemoWorld {
  private constructor(
    readonly world: DeliveryWorld,
    /** A local checkout of the tap (homebrew.tapPath), with the formula of the previous release. */
    readonly tapDir: string,
  ) {}

  static async start(previous = "0.2.0"): Promise<DemoWorld> {
    const world = await DeliveryWorld.start({
      token: DEMO_TOKEN,
      repo: REPO,
      tapRepo: TAP,
      name: NAME,
      goModule: `github.com/${REPO}/bindings/go`,
      platforms: PLATFORMS,
    });
    const hub = world.gh.repo(REPO);
    hub.addReleaseWorkflows();
    // The tap serves the previous release's formula, as a real tap does before the update.
    const old = world.archives(previous, SDK);
    const formula = formulaText(NAME, REPO, previous, old.sums, PLATFORMS);
    world.gh.repo(TAP).setContent(world.formulaPath, formula);
    const tapDir = mkdtempSync(path.join(os.tmpdir(), "shipgate-demo-tap-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: tapDir, stdio: "ignore" });
    mkdirSync(path.join(tapDir, "Formula"), { recursive: true });
    writeFileSync(path.join(tapDir, world.formulaPath), formula);
    git("init", "-q", "-b", "main");
    git("-c", "user.email=tap@example.invalid", "-c", "user.name=tap", "add", "-A");
    git(
      "-c",
      "user.email=tap@example.invalid",
      "-c",
      "user.name=tap",
      "commit",
      "-q",
      "-m",
      `${NAME} ${previous}`,
    );
    return new DemoWorld(world, tapDir);
  }

  /** The environment shipgate needs to reach the stand-ins. */
  env(): NodeJS.ProcessEnv {
    return { GH_TOKEN: DEMO_TOKEN, GITHUB_TOKEN: "", SHIPGATE_GITHUB_API_URL: this.world.gh.url };
  }

  /** The demo's shipgate.yaml with the registries and the tap checkout pointed at this world. */
  configure(configText: string): string {
    const doc = parseDocument(configText);
    doc.setIn(["homebrew", "tapPath"], this.tapDir);
    const registries: Record<string, string> = {
      npm: this.world.reg.npm.url,
      crates: this.world.reg.crates.url,
      pypi: this.world.reg.pypi.url,
      go: this.world.reg.goproxy.url,
    };
    const channels = doc.get("channels") as {
      items: { get(k: string): unknown; set(k: string, v: unknown): void }[];
    };
    for (const channel of channels.items) {
      const url = registries[String(channel.get("kind"))];
      if (url) channel.set("registry", url);
    }
    return doc.toString();
  }

  /** A commit reached the remote: CI runs on it and passes, and it is the default branch's head. */
  pushed(sha: string): void {
    const hub = this.world.gh.repo(REPO);
    hub.setBranch("main", sha);
    hub.addRun({ workflow: "ci.yml", event: "push", headSha: sha, headBranch: "main" });
  }

  /** The build workflow ran for the tag at `sha` (as pushing the tag triggers it) and succeeded. */
  built(tag: string, sha: string): number {
    const version = tag.replace(/^v/, "");
    const { assets, sums } = this.world.archives(version, SDK);
    const files: Record<string, Buffer | string> = { ...assets, "sha256sums.txt": this.world.sumsText(sums) };
    return this.world.gh.repo(REPO).addRun({
      workflow: "release.yml",
      event: "push",
      headSha: sha,
      headBranch: tag,
      completeAfterPolls: 1,
      jobs: [{ name: "release-context" }, { name: "build-sdk" }, { name: "build-bindings" }],
      artifacts: [
        {
          name: "release-metadata",
          files: {
            "metadata.json": JSON.stringify({
              tag,
              version,
              source_sha: sha,
              source_ref: `refs/tags/${tag}`,
            }),
          },
        },
        { name: "sdk-archives", files },
      ],
    }).id;
  }

  /** Every channel serves `version`, as a finished publish run leaves them. */
  published(version: string): void {
    this.world.publish(version, undefined, { layout: SDK });
  }

  /** Requests that could change state anywhere in the world (dispatches, issue writes, uploads). */
  mutating(): { method: string; path: string }[] {
    return this.world.mutating().map((r) => ({ method: r.method, path: r.path }));
  }

  /** How many GitHub requests have been answered so far, and their method and path from `since` on. */
  githubRequests(since = 0): { method: string; path: string }[] {
    return this.world.gh.requests.slice(since).map((r) => ({ method: r.method, path: r.path }));
  }

  /** The tap checkout's formula, as the homebrew step left it. */
  tapFormula(): string {
    return readFileSync(path.join(this.tapDir, this.world.formulaPath), "utf8");
  }

  async close(): Promise<void> {
    await this.world.close();
    rmSync(this.tapDir, { recursive: true, force: true });
  }
}

/**
 * The demo repository wired to its world: the config points at the stand-ins, CI passed on the pushed
 * HEAD, and the channels serve `version` (the delivery check's side of a finished publish).
 */
export async function demoSetup(version = "0.3.0"): Promise<{ repo: DemoRepo; world: DemoWorld }> {
  const repo = createDemoRepo();
  const world = await DemoWorld.start();
  const config = path.join(repo.dir, "shipgate.yaml");
  writeFileSync(config, world.configure(readFileSync(config, "utf8")));
  repo.git("commit", "-q", "-am", "point shipgate at the demo world");
  repo.git("push", "-q", "origin", "main");
  world.pushed(repo.git("rev-parse", "HEAD"));
  world.published(version);
  return { repo, world };
}
