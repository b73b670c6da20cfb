// `npm run demo`: a complete v0.3.0 release dry run of the bundled example project, with `shipgate run`,
// in a fresh git repository with a bare remote, against in-process loopback stand-ins for GitHub, the
// npm, crates.io, PyPI and Go registries and a Homebrew tap. It needs no network and no credentials.
// The first run is blocked by a gate (the changelog), whose blocker lands in the local tracker; the fix
// is committed and pushed, the blocker is closed, and the run resumes to the end of the dry run.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fixChangelog } from "./demo-repo.js";
import { demoSetup } from "./loopback/demo-world.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/bin/shipgate.js");

// Bold headings only on a terminal, and never with NO_COLOR set.
const bold = process.stdout.isTTY && !process.env.NO_COLOR;
function step(title: string): void {
  process.stdout.write(bold ? `\n\x1b[1m== ${title}\x1b[0m\n` : `\n== ${title}\n`);
}

const started = Date.now();
step(
  "the demo world: GitHub, four registries and a Homebrew tap, all on 127.0.0.1 (no network, no credentials)",
);
const { repo, world } = await demoSetup();
const dir = repo.dir;
process.stdout.write(`repository: ${dir}\n${repo.git("log", "--oneline", "--decorate")}\n`);
process.stdout.write(`GitHub stand-in: ${world.world.gh.url}; tap checkout: ${world.tapDir}\n`);
process.stdout.write(
  "the stand-in registries already serve 0.3.0: a dry run publishes nothing, so the world plays the part of a finished publish run for the delivery check\n",
);

/**
 * Runs shipgate as its own process (asynchronously: the stand-ins answer from this process meanwhile)
 * and checks the exit code is the one the story expects. Returns its stdout.
 */
async function shipgate(args: string[], expected: number, options: { json?: boolean } = {}): Promise<string> {
  process.stdout.write(`$ shipgate ${args.join(" ")}\n`);
  const child = spawn(process.execPath, [cli, ...args, ...(options.json ? ["--json"] : [])], {
    cwd: dir,
    env: { ...process.env, ...world.env() },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk;
    if (!options.json) process.stdout.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  process.stdout.write(`(exit ${code})\n`);
  if (code !== expected) {
    process.stderr.write(`demo: expected exit ${expected}, got ${code}; the repository is kept at ${dir}\n`);
    await world.close();
    process.exit(1);
  }
  return out;
}

const target = ["--release-target", "v0.3.0"];
step("validate the configuration");
await shipgate(["config", "check"], 0);
step("start the release: four explicit inputs, one ledger");
await shipgate(
  ["init", ...target, "--base-tag", "v0.2.0", "--mode", "dry-run", "--agent", `demo@${os.hostname()}`],
  0,
);

step("run the release: the changelog has no 0.3.0 section yet, so the gates block it");
await shipgate(["run", ...target], 1);
step("the failed gate became a blocker in the tracker (a local JSONL log here)");
await shipgate(["blockers", "list", ...target], 1);

step(
  "fix the changelog, commit and push; CI passes on the new commit and the build workflow runs for the tag",
);
const head = fixChangelog(repo);
world.pushed(head);
world.built("v0.3.0", head);
process.stdout.write(`HEAD is now ${head.slice(0, 12)}\n`);

step("resume: the gates pass now, but the blocker is still open in the tracker, so the run stops there");
const blocked = JSON.parse(await shipgate(["run", ...target], 1, { json: true })) as {
  next: { command: string[]; reason: string };
};
process.stdout.write(`next: ${blocked.next.reason}\n      ${blocked.next.command.join(" ")}\n`);
await shipgate(blocked.next.command.slice(1), 0);

step(
  "resume again: tag (planned), build, provenance, tap, preflight, rehearsal dispatched, publish (planned), delivery",
);
const finished = await shipgate(["run", ...target], 0);
const report = /report: (.*)/.exec(finished)?.[1];

step("where things stand");
await shipgate(["status", ...target], 0);

step("the evidence");
process.stdout.write(`ledger: ${path.join(dir, ".shipgate/v0.3.0/evidence.json")}\n`);
process.stdout.write(`plain text: ${path.join(dir, ".shipgate/v0.3.0/evidence.md")}\n`);
process.stdout.write(`HTML report: ${report ?? "(not written)"}\n`);
process.stdout.write(
  `requests that changed anything in the world: ${world
    .mutating()
    .map((r) => `${r.method} ${r.path}`)
    .join(", ")}\n`,
);
process.stdout.write(`the demo took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
await world.close();
