// `shipgate homebrew verify|update` from the command line: reference-layout formulae (four platforms,
// on_macos/on_linux with arm/intel branches) against matching and mismatching sums, the tap read through
// the contents API, and update as a release step in a real tap checkout with a real bare remote.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../../scripts/loopback/github.js";
import type { Ledger } from "../../src/evidence/schema.js";
import { runCli } from "../helpers/cli.js";
import { initArgs, releaseRepo } from "../helpers/demo-repo.js";
import { createRepo, type TempRepo, tempDir } from "../helpers/repo.js";
import { asset, digest, PLATFORMS, plasmiteFormula, sumsText } from "./fixtures.js";

const TOKEN = "ghp_homebrewTestToken0123456789abcdefghi";
const CONFIG = `gates: []
github: { repo: sandover/plasmite }
homebrew:
  tapRepo: sandover/homebrew-tap
  formulaPath: Formula/plasmite.rb
  assetTemplate: 'plasmite_{version}_{platform}.tar.gz'
  platforms: [darwin_amd64, darwin_arm64, linux_amd64, linux_arm64]
`;

let gh: GitHubStandIn;
let repo: TempRepo;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  gh = await startGitHubStandIn({ token: TOKEN, repos: ["sandover/plasmite", "sandover/homebrew-tap"] });
  repo = releaseRepo(CONFIG);
  repo.write("sums/good.txt", sumsText("0.3.0"));
  repo.write("sums/bad.txt", sumsText("0.3.0", PLATFORMS, { linux_arm64: "e".repeat(64) }));
  repo.write("sums/garbage.txt", "this is not a sums file\n");
  repo.write("formula/current.rb", plasmiteFormula("0.3.0"));
  repo.write("formula/old.rb", plasmiteFormula("0.2.0"));
});
afterEach(() => gh.clearFaults());
afterAll(async () => {
  await gh.close();
  repo.cleanup();
  for (const c of cleanups.splice(0)) c();
});

const env = { GH_TOKEN: TOKEN, SHIPGATE_GITHUB_API_URL: "" };
const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runCli([...args, "--json"], { cwd: repo.dir, env: { ...env, SHIPGATE_GITHUB_API_URL: gh.url, ...extra } });
const VERIFY = ["homebrew", "verify", "--release-target", "v0.3.0"];

interface VerifyJson {
  ok: boolean;
  problems: { message: string; platform?: string; line?: number }[];
  stanzas: { platform: string }[];
  next: { command: string[] } | null;
}

describe("shipgate homebrew verify", () => {
  it("passes a formula matching the sums, names each mismatch (exit 1), and refuses unreadable input (exit 2)", async () => {
    const good = await cli([
      ...VERIFY,
      "--formula-file",
      "formula/current.rb",
      "--sha256sums",
      "sums/good.txt",
    ]);
    expect(good.code, good.stderr).toBe(0);
    expect(
      good
        .json<VerifyJson>()
        .stanzas.map((s) => s.platform)
        .sort(),
    ).toEqual([...PLATFORMS].sort());

    const bad = await cli([
      ...VERIFY,
      "--formula-file",
      "formula/current.rb",
      "--sha256sums",
      "sums/bad.txt",
    ]);
    expect(bad.code).toBe(1);
    const out = bad.json<VerifyJson>();
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({ platform: "linux_arm64", line: 33 });
    expect(out.problems[0]?.message).toContain(`sha256 for linux_arm64 is ${digest("linux_arm64", "0.3.0")}`);
    expect(out.next?.command.slice(0, 3)).toEqual(["shipgate", "homebrew", "update"]);

    const old = await cli([...VERIFY, "--formula-file", "formula/old.rb", "--sha256sums", "sums/good.txt"]);
    expect(old.code).toBe(1);
    // version, and each platform's url (tag and file name) and sha256
    expect(old.json<VerifyJson>().problems).toHaveLength(1 + 4 * 3);

    for (const args of [
      ["--formula-file", "formula/missing.rb", "--sha256sums", "sums/good.txt"],
      ["--formula-file", "formula/current.rb", "--sha256sums", "sums/missing.txt"],
      ["--formula-file", "formula/current.rb", "--sha256sums", "sums/garbage.txt"],
    ]) {
      const r = await cli([...VERIFY, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
    }
    const human = await runCli(
      [...VERIFY, "--formula-file", "formula/current.rb", "--sha256sums", "sums/bad.txt"],
      {
        cwd: repo.dir,
      },
    );
    expect(human.stdout).toContain("line 33: sha256 for linux_arm64");
  });

  it("reads the tap's formula through the contents API, and the release's sums when none are given", async () => {
    const tap = gh.repo("sandover/homebrew-tap");
    tap.setContent("Formula/plasmite.rb", plasmiteFormula("0.3.0"));
    const fetched = await cli([...VERIFY, "--sha256sums", "sums/good.txt"]);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.json<{ formula: string }>().formula).toBe("sandover/homebrew-tap:Formula/plasmite.rb");
    // octokit sends the path with its slash encoded, as GitHub accepts it
    expect(gh.find(/^\/repos\/sandover\/homebrew-tap\/contents\/Formula(%2F|\/)plasmite\.rb$/)).toHaveLength(
      1,
    );

    // No sums file: the GitHub release's sha256sums.txt.
    const missingRelease = await cli(VERIFY);
    expect(missingRelease.code).toBe(3);
    gh.repo("sandover/plasmite").addRelease({
      tag: "v0.3.0",
      assets: { "sha256sums.txt": sumsText("0.3.0") },
    });
    const fromRelease = await cli(VERIFY);
    expect(fromRelease.code, fromRelease.stderr).toBe(0);

    // GitHub cannot be asked: exit 3, never a pass.
    gh.fail(/\/contents\//, { status: 500 });
    expect((await cli([...VERIFY, "--sha256sums", "sums/good.txt"])).code).toBe(3);
    gh.clearFaults();
    gh.fail(/\/contents\//, { status: 200, body: { type: "file" } });
    const shape = await cli([...VERIFY, "--sha256sums", "sums/good.txt"]);
    expect(shape.code).toBe(3);
    expect(shape.json<{ error: string }>().error).toMatch(/unexpected shape/);
    gh.clearFaults();
    expect(
      (
        await cli([...VERIFY, "--sha256sums", "sums/good.txt"], {
          GH_TOKEN: "ghp_wrongwrongwrongwrongwrongwrong0000",
        })
      ).code,
    ).toBe(3);
    expect(gh.mutating()).toEqual([]);
  });
});

interface Tap {
  repo: TempRepo;
  remote: string;
  formula(): string;
  log(): string[];
  remoteHead(): string;
}

function tapCheckout(): Tap {
  const tap = createRepo({ "Formula/plasmite.rb": plasmiteFormula("0.2.0"), "README.md": "tap\n" });
  const remoteDir = tempDir("shipgate-tap-remote-");
  const remote = path.join(remoteDir, "tap.git");
  tap.git("init", "-q", "--bare", remote);
  tap.git("remote", "add", "origin", remote);
  tap.git("push", "-q", "origin", "main");
  cleanups.push(() => {
    tap.cleanup();
    rmSync(remoteDir, { recursive: true, force: true });
  });
  return {
    repo: tap,
    remote,
    formula: () => readFileSync(path.join(tap.dir, "Formula/plasmite.rb"), "utf8"),
    log: () => tap.git("log", "--format=%s").split("\n"),
    remoteHead: () => tap.git("--git-dir", remote, "rev-parse", "main"),
  };
}

const ledger = (): Ledger =>
  JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));
const UPDATE = ["homebrew", "update", "--release-target", "v0.3.0"];

const init = async (mode: "live" | "dry-run") =>
  expect((await cli([...initArgs(mode), "--force"])).code).toBe(0);

describe("shipgate homebrew update (release step homebrew)", () => {
  it("live: refused without sums; then rewrites only version, url and sha256 lines, commits naming the version; a rerun changes nothing", async () => {
    const tap = tapCheckout();
    const before = tap.formula();
    await init("live");

    // No build run recorded and no sums given: refused, pointing at `shipgate build`.
    const r0 = await cli([...UPDATE, "--tap-path", tap.repo.dir]);
    expect(r0.code).toBe(1);
    const out = r0.json<{ problems: { kind: string; detail: string }[]; next: { command: string[] } }>();
    expect(out.problems[0]?.detail).toMatch(/run `shipgate build` first/);
    expect(out.next.command).toEqual(["shipgate", "build", "--release-target", "v0.3.0"]);
    // Sums without the formula's linux_arm64 archive cannot align it: refused, nothing written.
    writeFileSync(
      path.join(repo.dir, "sums/three.txt"),
      sumsText("0.3.0", ["darwin_amd64", "darwin_arm64", "linux_amd64"]),
    );
    const r1 = await cli([...UPDATE, "--tap-path", tap.repo.dir, "--sha256sums", "sums/three.txt"]);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toMatch(/sha256sums\.txt has no entry for plasmite_0\.3\.0_linux_arm64\.tar\.gz/);
    expect(tap.formula()).toBe(before);
    expect(
      (await cli([...UPDATE, "--tap-path", path.join(repo.dir, "nowhere"), "--sha256sums", "sums/good.txt"]))
        .code,
    ).toBe(2);

    const r = await cli([...UPDATE, "--tap-path", tap.repo.dir, "--sha256sums", "sums/good.txt"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json<{ actions: string[] }>().actions).toEqual(["write", "commit"]);
    const after = tap.formula();
    expect(after).toBe(plasmiteFormula("0.3.0"));
    const changed = before
      .split("\n")
      .map((line, i) => [line, after.split("\n")[i]])
      .filter(([a, b]) => a !== b)
      .map(([a]) => a!.trim().split(" ")[0]);
    expect(changed.sort()).toEqual([
      "sha256",
      "sha256",
      "sha256",
      "sha256",
      "url",
      "url",
      "url",
      "url",
      "version",
    ]);
    expect(tap.log()[0]).toBe("plasmite 0.3.0");
    expect(tap.repo.git("status", "--porcelain")).toBe("");
    // not pushed without --push: the remote still has the old formula
    expect(tap.remoteHead()).not.toBe(tap.repo.git("rev-parse", "HEAD"));
    const record = ledger().mechanics.homebrew!;
    expect(record).toMatchObject({
      version: "0.3.0",
      dryRun: false,
      written: true,
      pushed: false,
      pushRequested: false,
    });
    expect(record.sums[asset("0.3.0", "linux_arm64")]).toBe(digest("linux_arm64", "0.3.0"));
    expect(ledger().checkpoint.phase).toBe("tap-aligned");
    const verify = await cli([
      ...VERIFY,
      "--formula-file",
      path.join(tap.repo.dir, "Formula/plasmite.rb"),
      "--sha256sums",
      "sums/good.txt",
    ]);
    expect(verify.code).toBe(0);

    const head = tap.repo.git("rev-parse", "HEAD");
    const again = await cli([...UPDATE, "--tap-path", tap.repo.dir, "--sha256sums", "sums/good.txt"]);
    expect(again.code).toBe(0);
    expect(again.json<{ result: string }>().result).toBe("verified");
    expect(tap.repo.git("rev-parse", "HEAD")).toBe(head);
    expect(tap.formula()).toBe(after);

    // Pushing asked for afterwards: the step says what to run instead of redoing the commit.
    const push = await cli([
      ...UPDATE,
      "--tap-path",
      tap.repo.dir,
      "--sha256sums",
      "sums/good.txt",
      "--push",
    ]);
    expect(push.code).toBe(1);
    expect(push.json<{ next: { command: string[] } }>().next.command.slice(0, 4)).toEqual([
      "git",
      "-C",
      tap.repo.dir,
      "push",
    ]);
  });

  it("live with --build-run-id and --push: sums from the build run's artifacts, the commit pushed", async () => {
    const tap = tapCheckout();
    await init("live");
    gh.repo("sandover/plasmite").addWorkflow({ path: ".github/workflows/release.yml", name: "release" });
    // No sha256sums.txt in the artifacts: the archives themselves are hashed.
    const archives = Object.fromEntries(
      PLATFORMS.map((p) => [`sdk-${p}/${asset("0.3.0", p)}`, `archive ${p}`]),
    );
    const run = gh.repo("sandover/plasmite").addRun({
      workflow: "release.yml",
      artifacts: [
        { name: "sdk", files: archives },
        { name: "release-metadata", files: { "metadata.json": "{}" } },
      ],
    });
    const r = await cli([...UPDATE, "--tap-path", tap.repo.dir, "--build-run-id", String(run.id), "--push"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json<{ actions: string[] }>().actions).toEqual(["write", "commit", "push"]);
    expect(tap.remoteHead()).toBe(tap.repo.git("rev-parse", "HEAD"));
    const record = ledger().mechanics.homebrew!;
    expect(record).toMatchObject({ pushed: true, pushRequested: true });
    expect(record.source).toEqual({ kind: "build-run", runId: String(run.id), origin: "computed" });
    expect(tap.formula()).toContain('version "0.3.0"');
    expect(gh.mutating()).toEqual([]);
  });

  it("dry-run: rewrites the file for inspection, never commits or pushes", async () => {
    const tap = tapCheckout();
    const head = tap.repo.git("rev-parse", "HEAD");
    await init("dry-run");
    const r = await cli([...UPDATE, "--tap-path", tap.repo.dir, "--sha256sums", "sums/good.txt", "--push"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json<{ actions: string[] }>().actions).toEqual(["write"]);
    expect(tap.formula()).toBe(plasmiteFormula("0.3.0"));
    expect(tap.repo.git("rev-parse", "HEAD")).toBe(head);
    expect(tap.remoteHead()).toBe(head);
    expect(ledger().mechanics.homebrew).toMatchObject({ dryRun: true, commit: null, pushed: false });
    const again = await cli([...UPDATE, "--tap-path", tap.repo.dir, "--sha256sums", "sums/good.txt"]);
    expect(again.json<{ actions: string[] }>().actions).toEqual([]);
  });
});
