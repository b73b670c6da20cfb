// Expands repository-relative globs to files, walking only each glob's static base directory.
// Written by hand because Node 20 has no fs.glob; picomatch does the matching.
import { type Dirent, readdirSync, statSync } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";

// Never descended into: version control internals and dependency trees are not release artifacts.
const SKIP_DIRS = new Set([".git", "node_modules"]);

export function expandGlobs(root: string, patterns: string[]): string[] {
  const found = new Set<string>();
  for (const raw of patterns) {
    // Paths are compared in the form `dist/x.whl`; a leading `./` would never match them.
    const pattern = raw.replace(/^(\.\/)+/, "");
    const { base } = picomatch.scan(pattern);
    const isMatch = picomatch(pattern, { dot: true });
    const start = path.resolve(root, base || ".");
    for (const file of walk(start)) {
      const rel = path.relative(root, file).split(path.sep).join("/");
      if (isMatch(rel)) found.add(rel);
    }
  }
  return [...found].sort();
}

function* walk(dir: string): Generator<string> {
  // A pattern without glob characters has the file itself as its base.
  if (statSync(dir, { throwIfNoEntry: false })?.isFile()) {
    yield dir;
    return;
  }
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // a missing base directory simply matches nothing
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* walk(full);
    } else if (entry.isFile()) yield full;
  }
}
