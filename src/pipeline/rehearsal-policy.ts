// The rehearsal policy of a live publish: a successful rehearsal for this target is required first when
// release machinery (github.rehearsalWhenChanged) changed between the base tag and the release commit,
// or when registry credentials were rotated. The decision and its reason are recorded.
import picomatch from "picomatch";
import { git } from "../context/git.js";

export interface RehearsalPolicy {
  required: boolean;
  reason: string;
  /** Machinery files that changed (at most 10 listed). */
  changed?: string[];
}

export async function rehearsalPolicy(options: {
  repoRoot: string;
  baseTag: string;
  sha: string;
  globs: readonly string[];
  credentialsRotated: boolean;
}): Promise<RehearsalPolicy> {
  if (options.credentialsRotated)
    return {
      required: true,
      reason: "--credentials-rotated: registry credentials changed since the last release",
    };
  if (options.globs.length === 0)
    return { required: false, reason: "github.rehearsalWhenChanged is empty: no rehearsal is required" };
  const first = options.baseTag === "none";
  const files = (
    first
      ? await git(options.repoRoot, ["ls-tree", "-r", "--name-only", options.sha])
      : await git(options.repoRoot, [
          "diff",
          "--name-only",
          "--no-renames",
          `refs/tags/${options.baseTag}`,
          options.sha,
        ])
  )
    .split("\n")
    .filter(Boolean);
  const isMatch = picomatch([...options.globs], { dot: true });
  const changed = files.filter((f) => isMatch(f));
  const since = first ? "in this first release" : `since ${options.baseTag}`;
  if (changed.length === 0)
    return {
      required: false,
      reason: `no file matching ${options.globs.join(", ")} changed ${since}: a rehearsal is optional`,
    };
  const listed = changed.slice(0, 10);
  return {
    required: true,
    reason: `release machinery changed ${since}: ${listed.join(", ")}${changed.length > listed.length ? `, … (${changed.length} files)` : ""}`,
    changed: listed,
  };
}
