// `npm run demo`: walks a v0.3.0 release dry-run of the bundled example project through shipgate,
// in a fresh temporary git repository, showing a blocked gate, its blocker, the fix and the pass.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/bin/shipgate.js");
const example = path.join(root, "examples/demo");
const MANIFESTS = ["Cargo.toml", "bindings/node/package.json", "bindings/python/pyproject.toml"];

const dir = mkdtempSync(path.join(os.tmpdir(), "shipgate-demo-"));
const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();

function setVersion(version: string): void {
  for (const file of MANIFESTS) {
    const full = path.join(dir, file);
    writeFileSync(full, readFileSync(full, "utf8").replace(/0\.\d+\.0/, version));
  }
}

// Bold headings only on a terminal, and never with NO_COLOR set.
const bold = process.stdout.isTTY && !process.env.NO_COLOR;
function step(title: string): void {
  process.stdout.write(bold ? `\n\x1b[1m== ${title}\x1b[0m\n` : `\n== ${title}\n`);
}

/** Runs shipgate and checks its exit code is the one the story expects. */
function shipgate(args: string[], expected: number): void {
  process.stdout.write(`$ shipgate ${args.join(" ")}\n`);
  const res = spawnSync(process.execPath, [cli, ...args], { cwd: dir, stdio: "inherit" });
  process.stdout.write(`(exit ${res.status})\n`);
  if (res.status !== expected) {
    process.stderr.write(
      `demo: expected exit ${expected}, got ${res.status}; the repository is kept at ${dir}\n`,
    );
    process.exit(1);
  }
}

step(`a demo repository with tags v0.1.0 and v0.2.0 in ${dir}`);
cpSync(example, dir, { recursive: true });
writeFileSync(path.join(dir, ".gitignore"), ".shipgate/\n");
git("init", "-q", "-b", "main");
git("config", "user.email", "demo@example.invalid");
git("config", "user.name", "shipgate demo");
for (const version of ["0.1.0", "0.2.0"]) {
  setVersion(version);
  git("add", "-A");
  git("commit", "-q", "-m", `release ${version}`);
  git("tag", "-a", `v${version}`, "-m", `v${version}`);
}
setVersion("0.3.0");
git("add", "-A");
git("commit", "-q", "-m", "prepare 0.3.0");
// A local bare repository stands in for the hosted remote, so the tag step has somewhere to look.
const remote = mkdtempSync(path.join(os.tmpdir(), "shipgate-demo-remote-"));
execFileSync("git", ["init", "-q", "--bare", remote]);
git("remote", "add", "origin", remote);
process.stdout.write(`${git("log", "--oneline", "--decorate")}\n`);

const target = ["--release-target", "v0.3.0"];
step("validate the configuration");
shipgate(["config", "check"], 0);
step("start the release: four explicit inputs, one ledger");
shipgate(
  ["init", ...target, "--base-tag", "v0.2.0", "--mode", "dry-run", "--agent", `demo@${os.hostname()}`],
  0,
);
step("run the QA gates: the changelog has no 0.3.0 section yet, so the release is blocked");
shipgate(["gates", ...target], 1);
step("the failed gate became a blocker in the tracker (a local JSONL log here)");
shipgate(["blockers", "list", ...target], 1);
step("where things stand");
shipgate(["status", ...target], 1);

step("fix the changelog, commit, and run the gates again");
const changelog = path.join(dir, "CHANGELOG.md");
const today = new Date().toISOString().slice(0, 10);
writeFileSync(changelog, readFileSync(changelog, "utf8").replace("## [Unreleased]", `## [0.3.0] - ${today}`));
git("commit", "-q", "-am", "changelog for 0.3.0");
shipgate(["gates", ...target], 0);
step("the gates pass, but a release step still refuses while the blocker is open in the tracker");
shipgate(["tag", ...target], 1);
step("the blocker is resolved in the ledger; close it in the tracker (or set tracker.autoClose)");
shipgate(["blockers", "close", "T2", ...target], 0);
shipgate(["blockers", "list", ...target], 0);
step("a second run reuses every gate that passed (resume cache)");
shipgate(["gates", ...target], 0);
shipgate(["status", ...target], 0);
step("rehearse the first release step: in dry-run mode nothing is tagged or pushed");
shipgate(["tag", ...target], 0);

step("the evidence ledger");
process.stdout.write(`${path.join(dir, ".shipgate/v0.3.0/evidence.json")}\n\n`);
process.stdout.write(readFileSync(path.join(dir, ".shipgate/v0.3.0/evidence.md"), "utf8"));
