// Test helper: real git repositories in temp directories, with files, commits and tags.
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(file: string, content: string): void;
  commit(message: string): string;
  tag(name: string): void;
  cleanup(): void;
}

export function tempDir(prefix = "shipgate-test-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** HEAD's commit read from the refs on disk (a fresh branch's ref is a loose file), without a git call. */
function headOf(dir: string): string {
  const head = readFileSync(path.join(dir, ".git", "HEAD"), "utf8").trim();
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  return ref ? readFileSync(path.join(dir, ".git", ref), "utf8").trim() : head;
}

/** A new repository; `files` are committed as the first commit when given. */
export function createRepo(files: Record<string, string> = {}): TempRepo {
  return fromTemplate(JSON.stringify(["createRepo", files]), () => {
    const repo = emptyRepo();
    for (const [file, content] of Object.entries(files)) repo.write(file, content);
    if (Object.keys(files).length > 0) repo.commit("initial");
    return repo;
  });
}

/** One commit of a history built at once: files it adds or changes, and an annotated tag on it. */
export interface HistoryCommit {
  message: string;
  files: Record<string, string>;
  tag?: string;
}

/**
 * A repository whose whole history is written by one `git fast-import`, then checked out: three git
 * processes instead of three per commit, which matters when a suite builds hundreds of repositories.
 */
export function repoWithHistory(history: HistoryCommit[]): TempRepo {
  return fromTemplate(JSON.stringify(history), () => buildHistory(history));
}

/**
 * Repositories already built by this test process, by what they hold: a repeat is a copy of the first
 * (a file copy, where building costs four git processes, each a fork of the large test worker). The
 * copies are the same repository, commit ids included, as building it again within the same second.
 */
const templates = new Map<string, string>();
let templateRoot: string | undefined;

function fromTemplate(key: string, build: () => TempRepo): TempRepo {
  const template = templates.get(key);
  if (template) {
    const repo = handle(tempDir());
    // Timestamps kept, so git's index still matches the copied files and nothing is hashed again.
    cpSync(template, repo.dir, { recursive: true, preserveTimestamps: true });
    return repo;
  }
  const repo = build();
  if (!templateRoot) {
    const root = tempDir("shipgate-templates-");
    templateRoot = root;
    process.once("exit", () => rmSync(root, { recursive: true, force: true }));
  }
  const copy = path.join(templateRoot, String(templates.size));
  cpSync(repo.dir, copy, { recursive: true, preserveTimestamps: true });
  templates.set(key, copy);
  return repo;
}

function buildHistory(history: HistoryCommit[]): TempRepo {
  const repo = emptyRepo();
  const when = `${Math.floor(Date.now() / 1000)} +0000`;
  const who = "shipgate test <test@example.invalid>";
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let stream = "";
  history.forEach((commit, i) => {
    stream += `commit refs/heads/main\nmark :${i + 1}\nauthor ${who} ${when}\ncommitter ${who} ${when}\n`;
    stream += data(commit.message);
    if (i > 0) stream += `from :${i}\n`;
    for (const [file, content] of Object.entries(commit.files))
      stream += `M 100644 inline ${file}\n${data(content)}`;
    if (commit.tag) stream += `tag ${commit.tag}\nfrom :${i + 1}\ntagger ${who} ${when}\n${data(commit.tag)}`;
  });
  execFileSync("git", ["fast-import", "--quiet"], { cwd: repo.dir, input: stream });
  repo.git("reset", "-q", "--hard");
  return repo;
}

function emptyRepo(): TempRepo {
  const repo = handle(tempDir());
  repo.git("init", "-q", "-b", "main");
  // Written directly rather than by four `git config` calls: every git process costs a fork of the test
  // worker, and a suite builds hundreds of repositories.
  appendFileSync(
    path.join(repo.dir, ".git", "config"),
    "[user]\n\temail = test@example.invalid\n\tname = shipgate test\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n",
  );
  return repo;
}

/** The helper methods for a repository in `dir`. */
function handle(dir: string): TempRepo {
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_DATE: "", GIT_COMMITTER_DATE: "" },
    }).trim();
  const repo: TempRepo = {
    dir,
    git,
    write(file, content) {
      const full = path.join(dir, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    commit(message) {
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return headOf(dir);
    },
    tag(name) {
      git("tag", "-a", name, "-m", name);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return repo;
}
