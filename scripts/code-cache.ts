// The build's last step (run by scripts/build.mjs in a fresh node): loads dist/bin/cli.js the way the
// binary does, runs the commands a release runs most in-process on a throwaway copy of the demo project,
// and stores V8's code cache of everything that ran. Bytecode of functions that ran is in the cache; the
// rest compiles lazily as before. A failed warm-up is reported and still leaves a cache of what ran.
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadedCli } from "../src/cli/launcher.cjs";
import { createDemoRepo, fixChangelog } from "./demo-repo.js";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin");
const { loadCli } = createRequire(import.meta.url)(path.join(bin, "shipgate.js")) as {
  loadCli(dir: string): LoadedCli;
};
const { cli, script, cacheFile } = loadCli(bin);

const discard = { write: () => true };
const io = { stdout: discard, stderr: discard, env: { ...process.env, NO_COLOR: "1" } };
const repo = createDemoRepo();
const problems: string[] = [];
try {
  fixChangelog(repo);
  const target = ["--release-target", "v0.3.0"];
  const inRepo = ["--cwd", repo.dir];
  const invocations: [string[], number][] = [
    [["--help"], 0],
    [["config", "check", ...inRepo], 0],
    [
      ["init", ...inRepo, ...target, "--base-tag", "v0.2.0", "--mode", "dry-run", "--agent", "build@local"],
      0,
    ],
    [["gates", ...inRepo, ...target], 0],
    [["gates", ...inRepo, ...target, "--json"], 0],
    [["status", ...inRepo, ...target], 0],
  ];
  for (const [args, expected] of invocations) {
    const code = await cli.run(["node", "shipgate", ...args], io);
    if (code !== expected) problems.push(`shipgate ${args.join(" ")} exited ${code}, not ${expected}`);
  }
} catch (err) {
  problems.push(String(err));
} finally {
  writeFileSync(cacheFile, script.createCachedData());
  rmSync(repo.dir, { recursive: true, force: true });
  rmSync(repo.remote, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.warn(`code cache warm-up: ${problems.join("; ")} (the cache holds what ran)`);
}
