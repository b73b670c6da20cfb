// `npm run demo`: walks a v0.3.0 release dry-run of the bundled example project through shipgate,
// in a fresh temporary git repository, showing a blocked gate, its blocker, the fix and the pass.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDemoRepo, fixChangelog } from "./demo-repo.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/bin/shipgate.js");

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

step("a demo repository with tags v0.1.0 and v0.2.0");
const repo = createDemoRepo();
const dir = repo.dir;
process.stdout.write(`${dir}\n${repo.git("log", "--oneline", "--decorate")}\n`);

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
fixChangelog(repo);
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
