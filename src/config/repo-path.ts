// Config values that name places in the repository. Each kind, tracker or channel declares such a field
// with one of these schemas, so a path that escapes the repository (by "..", an absolute path or a
// symbolic link) is refused at load, naming the key, wherever the field is declared.
import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import * as z from "zod";

/**
 * - file, dir: inside the repository (need not exist yet).
 * - existing-dir: inside the repository and an existing directory (a gate's `cwd`).
 * - evidence-dir: inside the repository, not its root or .git, and not a file.
 * - glob: a repository-relative pattern that cannot reach outside.
 * - relative: a path relative to another configured place (e.g. under workflowsDir); no "..".
 * - other-checkout: anywhere but this repository itself (e.g. a Homebrew tap's checkout).
 */
export type PathRole =
  | "file"
  | "dir"
  | "existing-dir"
  | "evidence-dir"
  | "glob"
  | "relative"
  | "other-checkout";

let activeRoot: string | undefined;

/**
 * Runs `parse` with the repository root known to these schemas, so they can also check the file system
 * (symbolic links, existence). Parsing is synchronous: nothing else runs while the root is set.
 */
export function withRepoRoot<T>(root: string | undefined, parse: () => T): T {
  const saved = activeRoot;
  activeRoot = root;
  try {
    return parse();
  } finally {
    activeRoot = saved;
  }
}

const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

function escapesLexically(value: string): boolean {
  const normal = path.posix.normalize(value.replace(/\\/g, "/"));
  return normal === ".." || normal.startsWith("../");
}

const isOutside = (rel: string) => rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);

/** The real location of `full`: its deepest existing ancestor resolved through symbolic links. */
function realLocation(full: string): string {
  let existing = full;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return full;
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

function lexicalProblem(role: PathRole, value: string): string | undefined {
  if (CONTROL.test(value)) return "holds a control character";
  if (value.trim() !== value) return `${JSON.stringify(value)} has surrounding whitespace`;
  if (role === "other-checkout") return undefined;
  if (role === "glob" || role === "relative") {
    if (path.isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value)) {
      return `"${value}" is absolute; it must be relative (${role === "glob" ? "to the repository root" : "to the directory it lives under"})`;
    }
    if (value.split(/[\\/]/).includes("..")) return `"${value}" reaches outside with "..": not allowed`;
    return undefined;
  }
  if (!path.isAbsolute(value) && escapesLexically(value)) {
    return `"${value}" is outside the repository`;
  }
  return undefined;
}

/** The entry's stat, or undefined when there is none (a parent that is a file included). */
function statOf(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function repoProblem(role: PathRole, value: string, root: string): string | undefined {
  const full = path.resolve(root, value);
  const realRoot = realLocation(root);
  if (role === "other-checkout") {
    return realLocation(full) === realRoot
      ? `"${value}" is this repository itself, not another checkout`
      : undefined;
  }
  if (isOutside(path.relative(root, full))) return `"${value}" is outside the repository (${full})`;
  const real = realLocation(full);
  const rel = path.relative(realRoot, real);
  if (isOutside(rel)) return `"${value}" leads through a symbolic link outside the repository (to ${real})`;
  if (role === "evidence-dir") {
    if (rel === "")
      return `"${value}" is the repository root itself; evidence needs its own directory, e.g. .shipgate`;
    if (rel.split(path.sep)[0] === ".git") return `"${value}" is inside .git`;
    for (let dir = full; dir !== path.dirname(root) && dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const stat = statOf(dir);
      if (stat && !stat.isDirectory()) return `${path.relative(root, dir) || dir} is a file, not a directory`;
      if (stat) break;
    }
  }
  if (role === "existing-dir") {
    const stat = statOf(full);
    if (!stat) return `"${value}" does not exist in the repository`;
    if (!stat.isDirectory()) return `"${value}" is not a directory`;
  }
  return undefined;
}

/** A string naming a place in (or, for `other-checkout`, beside) the repository. */
export function repoPath(role: PathRole) {
  return z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      const problem =
        lexicalProblem(role, value) ??
        (activeRoot === undefined ? undefined : repoProblem(role, value, activeRoot));
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}
