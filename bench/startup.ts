// Start-up figures: the CPU time of `shipgate --version` and the wall time of an all-cached rerun of
// the demo's gates, each against `node -e 0` measured in the same run (medians of repeated runs).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchRepo } from "./repo.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/bin/shipgate.js");
const REPEATS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Children's user+system CPU seconds of one command, read from bash's `times` (no extra tool needed). */
function cpuSeconds(command: string, cwd: string): number {
  const out = execFileSync("bash", ["-c", `${command} >/dev/null 2>&1; times`], { cwd, encoding: "utf8" });
  const children = out.trim().split("\n")[1] ?? "";
  const parts = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return (parts[0] ?? 0) + (parts[1] ?? 0);
}

function wallSeconds(args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd, stdio: "ignore" });
  if (res.status !== 0) throw new Error(`${args.join(" ")} exited ${res.status}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function demoRepo(): string {
  const { dir, git } = benchRepo("startup", (d) =>
    cpSync(path.join(root, "examples/demo"), d, { recursive: true }),
  );
  git("tag", "-a", "v0.2.0", "-m", "v0.2.0");
  writeFileSync(path.join(dir, "CHANGELOG.md"), "# Changelog\n\n## [0.3.0] - 2026-11-27\n\n- bench\n");
  for (const file of ["Cargo.toml", "bindings/node/package.json", "bindings/python/pyproject.toml"]) {
    const full = path.join(dir, file);
    const text = execFileSync("cat", [full], { encoding: "utf8" });
    writeFileSync(full, text.replace(/0\.\d+\.0/, "0.3.0"));
  }
  git("commit", "-q", "-am", "0.3.0");
  return dir;
}

export async function run(): Promise<void> {
  const here = process.cwd();
  const nodeCpu = median(Array.from({ length: REPEATS }, () => cpuSeconds(`${process.execPath} -e 0`, here)));
  const versionCpu = median(
    Array.from({ length: REPEATS }, () => cpuSeconds(`${process.execPath} ${cli} --version`, here)),
  );
  console.log(`start-up: median of ${REPEATS} runs each`);
  console.log(`  node -e 0: ${(nodeCpu * 1000).toFixed(0)} ms CPU`);
  console.log(
    `  shipgate --version: ${(versionCpu * 1000).toFixed(0)} ms CPU = ${(versionCpu / nodeCpu).toFixed(2)}x node -e 0`,
  );

  const dir = demoRepo();
  try {
    const target = ["--release-target", "v0.3.0"];
    wallSeconds(
      [cli, "init", ...target, "--base-tag", "v0.2.0", "--mode", "dry-run", "--agent", "b@local"],
      dir,
    );
    wallSeconds([cli, "gates", ...target], dir);
    const nodeWall = median(Array.from({ length: REPEATS }, () => wallSeconds(["-e", "0"], dir)));
    const cachedWall = median(
      Array.from({ length: REPEATS }, () => wallSeconds([cli, "gates", ...target], dir)),
    );
    console.log(`  node -e 0: ${(nodeWall * 1000).toFixed(0)} ms wall`);
    console.log(
      `  all-cached rerun of the demo's gates: ${(cachedWall * 1000).toFixed(0)} ms wall = ${(cachedWall / nodeWall).toFixed(2)}x node -e 0`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
