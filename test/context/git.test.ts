// Git facts on real repositories: HEAD, branch, cleanliness, upstream, changed files, the work tree's top.
import { execFileSync } from "node:child_process";
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  changedFiles,
  headAndBranch,
  headSha,
  originRepoSlug,
  repoRoot,
  tagAncestry,
  upstreamState,
  workingTreeState,
  worktreeFingerprint,
} from "../../src/context/git.js";
import { createRepo, type TempRepo, tempDir } from "../helpers/repo.js";

describe("git facts", () => {
  const repos: TempRepo[] = [];
  const repo = (files: Record<string, string>) => {
    const r = createRepo(files);
    repos.push(r);
    return r;
  };
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });

  it("reads HEAD, branch and a detached HEAD", async () => {
    const r = repo({ "a.txt": "a\n" });
    expect(await headSha(r.dir)).toBe(r.git("rev-parse", "HEAD"));
    expect(await headAndBranch(r.dir)).toEqual({ sha: r.git("rev-parse", "HEAD"), branch: "main" });
    r.git("checkout", "-q", "--detach");
    expect((await headAndBranch(r.dir)).branch).toBeNull();
  });

  it("tells a tag that is an ancestor of HEAD from one that is not and from one that names no commit", async () => {
    const r = repo({ "a.txt": "a\n" });
    r.tag("v1.0.0");
    r.git("checkout", "-q", "-b", "side");
    r.write("b.txt", "b\n");
    r.commit("side work");
    r.tag("v1.1.0");
    r.git("checkout", "-q", "main");
    r.write("c.txt", "c\n");
    r.commit("main work");
    // A tag on a tree, and one on a blob: tags, but of no commit.
    r.git("tag", "on-tree", r.git("rev-parse", "HEAD^{tree}"));
    r.git("tag", "on-blob", r.git("hash-object", "-w", "c.txt"));
    expect(await tagAncestry(r.dir, "v1.0.0")).toBe("ancestor");
    expect(await tagAncestry(r.dir, "v1.1.0")).toBe("not-ancestor");
    expect(await tagAncestry(r.dir, "v9.9.9")).toBe("missing");
    expect(await tagAncestry(r.dir, "on-tree")).toBe("missing");
    expect(await tagAncestry(r.dir, "on-blob")).toBe("missing");
  });

  it("lists files changed since a tag, including uncommitted and untracked ones, minus excluded dirs", async () => {
    const r = repo({ "a.txt": "a\n", "Cargo.lock": "x\n" });
    r.tag("v1.0.0");
    r.write("Cargo.lock", "y\n");
    r.commit("bump lock");
    r.write("a.txt", "changed\n");
    r.write("new/file.txt", "n\n");
    r.write(".shipgate/v1.1.0/evidence.json", "{}\n");
    expect(await changedFiles(r.dir, "v1.0.0", [".shipgate"])).toEqual([
      "Cargo.lock",
      "a.txt",
      "new/file.txt",
    ]);
    expect(await changedFiles(r.dir, null, [".shipgate"])).toEqual(["Cargo.lock", "a.txt", "new/file.txt"]);
  });

  it("tells a clean tree from a dirty one and fingerprints the difference", async () => {
    const r = repo({ "a.txt": "a\n" });
    expect(await workingTreeState(r.dir)).toEqual({ clean: true, entries: [] });
    const clean = await worktreeFingerprint(r.dir);
    r.write("a.txt", "b\n");
    const dirty = await workingTreeState(r.dir);
    expect(dirty.clean).toBe(false);
    expect(dirty.entries).toEqual([" M a.txt"]);
    const changed = await worktreeFingerprint(r.dir);
    expect(changed).not.toBe(clean);
    r.write("a.txt", "c\n");
    expect(await worktreeFingerprint(r.dir)).not.toBe(changed);
    r.write("a.txt", "a\n");
    expect(await worktreeFingerprint(r.dir)).toBe(clean);
  });

  it("counts commits ahead of and behind the upstream", async () => {
    const remote = repo({ "a.txt": "a\n" });
    const local = repo({});
    local.git("remote", "add", "origin", remote.dir);
    local.git("fetch", "-q", "origin");
    local.git("checkout", "-q", "-B", "main", "--track", "origin/main");
    expect(await upstreamState(local.dir)).toEqual({ upstream: "origin/main", ahead: 0, behind: 0 });
    local.write("b.txt", "b\n");
    local.commit("local");
    remote.write("c.txt", "c\n");
    remote.commit("remote");
    local.git("fetch", "-q", "origin");
    expect(await upstreamState(local.dir)).toEqual({ upstream: "origin/main", ahead: 1, behind: 1 });
    local.git("branch", "--unset-upstream");
    expect((await upstreamState(local.dir)).upstream).toBeNull();
  });

  it("parses owner/name from the origin remote", async () => {
    const r = repo({ "a.txt": "a\n" });
    expect(await originRepoSlug(r.dir)).toBeNull();
    r.git("remote", "add", "origin", "git@example.invalid:plasmite/plasmite.git");
    expect(await originRepoSlug(r.dir)).toBe("plasmite/plasmite");
    r.git("remote", "set-url", "origin", "https://example.invalid/owner/repo");
    expect(await originRepoSlug(r.dir)).toBe("owner/repo");
  });
  it("finds the work tree's top where git does: subfolder, symlink, worktree; refuses where git refuses", async () => {
    const r = repo({ "a/b/c.txt": "c\n" });
    const outside = tempDir();
    try {
      const worktree = path.join(outside, "wt");
      r.git("worktree", "add", "-q", worktree);
      mkdirSync(path.join(worktree, "sub"));
      symlinkSync(path.join(r.dir, "a"), path.join(outside, "link"));
      mkdirSync(path.join(outside, "plain"));
      mkdirSync(path.join(outside, "fake", ".git"), { recursive: true });
      mkdirSync(path.join(outside, "bad-gitfile"));
      writeFileSync(path.join(outside, "bad-gitfile", ".git"), "not a gitfile\n");
      const toplevel = (cwd: string) => {
        try {
          return execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd, stdio: "pipe" })
            .toString()
            .trim();
        } catch {
          return "refused";
        }
      };
      const ours = async (cwd: string) => repoRoot(cwd).catch(() => "refused");
      for (const cwd of [
        r.dir,
        path.join(r.dir, "a/b"),
        path.join(outside, "link/b"),
        worktree,
        path.join(worktree, "sub"),
        path.join(r.dir, ".git"),
        path.join(r.dir, ".git/refs"),
        path.join(outside, "plain"),
        path.join(outside, "fake"),
        path.join(outside, "bad-gitfile"),
      ]) {
        expect(await ours(cwd), cwd).toBe(toplevel(cwd));
      }
      expect(await ours(path.join(outside, "plain"))).toBe("refused");
      // A missing directory is refused as not a repository, not mistaken for git being absent.
      await expect(repoRoot(path.join(outside, "missing"))).rejects.toThrow(/is not a directory/);
      expect(await ours(path.join(r.dir, "a"))).toBe(realpathSync(r.dir));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
  it("reads HEAD and its branch as git does, from the files or, when they are not plain, from git", async () => {
    const r = repo({ "a/b.txt": "b\n" });
    const git = (cwd: string) => {
      const [sha, name] = execFileSync("git", ["rev-parse", "HEAD", "--abbrev-ref", "HEAD"], { cwd })
        .toString()
        .trim()
        .split("\n");
      return { sha, branch: name === "HEAD" ? null : name };
    };
    const outside = tempDir();
    /** Runs a git command in the repository, then answers its directory. */
    const inRepo = (...args: string[]) => {
      r.git(...args);
      return r.dir;
    };
    try {
      const states: [string, () => string][] = [
        ["a branch", () => r.dir],
        ["a subfolder", () => path.join(r.dir, "a")],
        ["a branch with a slash", () => inRepo("checkout", "-q", "-b", "feature/x")],
        ["a detached HEAD", () => inRepo("checkout", "-q", "--detach")],
        ["back on main", () => inRepo("checkout", "-q", "main")],
        ["packed refs", () => inRepo("pack-refs", "--all")],
        [
          "a worktree",
          () => {
            r.git("worktree", "add", "-q", "-b", "wt", path.join(outside, "wt"));
            return path.join(outside, "wt");
          },
        ],
      ];
      for (const [what, arrange] of states) {
        const cwd = arrange();
        expect(await headAndBranch(cwd), what).toEqual(git(cwd));
      }
      const unborn = createRepo();
      repos.push(unborn);
      await expect(headAndBranch(unborn.dir)).rejects.toThrow(/no commits yet/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
