// The demo's repository: examples/demo made into a real git repository with releases v0.1.0 and v0.2.0
// tagged, the manifests bumped to 0.3.0 in a commit on top, and a bare repository as its origin. Shared by
// `npm run demo` and the tests that walk the same story.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
// From scripts/ (tests, via TypeScript) or dist/scripts/ (the built demo).
const root = [path.resolve(here, ".."), path.resolve(here, "../..")].find((dir) => {
  try {
    return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name === "shipgate";
  } catch {
    return false;
  }
}) as string;

export const EXAMPLE = path.join(root, "examples/demo");
export const MANIFESTS = ["Cargo.toml", "bindings/node/package.json", "bindings/python/pyproject.toml"];

export interface DemoRepo {
  dir: string;
  remote: string;
  git(...args: string[]): string;
}

export function createDemoRepo(): DemoRepo {
  const dir = mkdtempSync(path.join(os.tmpdir(), "shipgate-demo-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  const setVersion = (version: string) => {
    for (const file of MANIFESTS) {
      const full = path.join(dir, file);
      writeFileSync(full, readFileSync(full, "utf8").replace(/0\.\d+\.0/, version));
    }
  };
  cpSync(EXAMPLE, dir, { recursive: true });
  writeFileSync(path.join(dir, ".gitignore"), ".shipgate/\n");
  git("init", "-q", "-b", "main");
  git("config", "user.email", "demo@example.invalid");
  git("config", "user.name", "shipgate demo");
  git("config", "commit.gpgsign", "false");
  git("config", "tag.gpgsign", "false");
  for (const version of ["0.1.0", "0.2.0"]) {
    setVersion(version);
    git("add", "-A");
    git("commit", "-q", "-m", `release ${version}`);
    git("tag", "-a", `v${version}`, "-m", `v${version}`);
  }
  setVersion("0.3.0");
  git("add", "-A");
  git("commit", "-q", "-m", "prepare 0.3.0");
  // A local bare repository stands in for the hosted remote: the branch and the earlier release tags
  // are pushed to it (with upstream set), as they are in a real project.
  const remote = mkdtempSync(path.join(os.tmpdir(), "shipgate-demo-remote-"));
  execFileSync("git", ["init", "-q", "--bare", remote]);
  git("remote", "add", "origin", remote);
  git("push", "-q", "-u", "origin", "main", "v0.1.0", "v0.2.0");
  return { dir, remote, git };
}

/** The fix the demo's blocked gate asks for: the changelog gets its dated 0.3.0 section, committed and
 * pushed. Returns the new HEAD. */
export function fixChangelog(repo: DemoRepo, today = new Date().toISOString().slice(0, 10)): string {
  const changelog = path.join(repo.dir, "CHANGELOG.md");
  writeFileSync(
    changelog,
    readFileSync(changelog, "utf8").replace("## [Unreleased]", `## [0.3.0] - ${today}`),
  );
  repo.git("commit", "-q", "-am", "changelog for 0.3.0");
  repo.git("push", "-q", "origin", "main");
  return repo.git("rev-parse", "HEAD");
}
