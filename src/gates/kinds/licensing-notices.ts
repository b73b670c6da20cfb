// Gate kind `licensing-notices`: every shipped archive contains the required notice files.
//
// Decisions: no archive matched = `incomplete` (nothing was checked); an archive that cannot be read
// (truncated, corrupt, not what its extension says) = `fail`, because that file is what would ship and
// it is broken whatever it holds; an entry that could escape an extraction directory = `fail`.
// Archives are only listed, never extracted.
import { statSync } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import * as z from "zod";
import {
  type ArchiveEntry,
  ArchiveError,
  archiveFormat,
  listArchive,
  type UnsafeEntry,
} from "../../artifacts/archive.js";
import { expandGlobs } from "../../artifacts/glob.js";
import { commonGateFields } from "../../config/gate-common.js";
import { repoPath } from "../../config/repo-path.js";
import { errorMessage } from "../../errors.js";
import { defineGateKind, type Outcome } from "../types.js";

export const licensingNoticesGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("licensing-notices"),
  artifacts: z
    .array(repoPath("glob"))
    .min(1)
    .meta({ description: "globs of .tar.gz, .tgz, .whl, .zip archives, relative to the repo root" }),
  require: z.array(z.string().min(1)).min(1).default(["LICENSE", "THIRD_PARTY_NOTICES.md"]).meta({
    description:
      "file names each archive must hold, anywhere inside; a glob such as 'LICENSE{,.md,.txt}' matches variants",
  }),
});
export type LicensingNoticesGate = z.infer<typeof licensingNoticesGateSchema>;

export interface ArchiveCheck {
  file: string;
  missing: string[];
  unsafe: UnsafeEntry[];
  error?: string;
}

/**
 * A required name matches an entry's basename anywhere in the archive (npm tarballs hold
 * package/LICENSE, sdists name-1.0/LICENSE, wheels *.dist-info/licenses/LICENSE). Exact by
 * default; a glob (picomatch) for accepted variants; a name with a `/` matches the end of the
 * entry's path instead (e.g. `*.dist-info/licenses/LICENSE`). Only a regular file counts (or a tar
 * hard link to one in the same archive): a directory, a symlink (dangling or not, it holds no text of
 * its own) or a device named LICENSE is not a licence.
 */
export function hasRequired(entries: ArchiveEntry[], name: string): boolean {
  const byPath = name.includes("/");
  const matches = picomatch(byPath ? [name, `**/${name}`] : name, { dot: true });
  const regular = new Set(entries.filter((e) => e.type === "file").map((e) => e.path));
  return entries.some((entry) => {
    const isFile =
      entry.type === "file" || (entry.type === "hardlink" && regular.has(entry.linkTarget ?? ""));
    if (!isFile) return false;
    const full = entry.path.replace(/\\/g, "/");
    const subject = byPath ? full : path.posix.basename(full);
    return subject === name || matches(subject);
  });
}

export interface ArchiveSearch {
  /** Archives the globs matched. */
  files: string[];
  /** Files the globs matched that are not archives of a known format (not checked). */
  ignored: string[];
  checks: ArchiveCheck[];
}

export async function checkArchives(
  repoRoot: string,
  globs: string[],
  required: string[],
  signal?: AbortSignal,
): Promise<ArchiveSearch> {
  const matched = expandGlobs(repoRoot, globs);
  const files = matched.filter((f) => archiveFormat(f) !== null);
  const ignored = matched.filter((f) => archiveFormat(f) === null);
  const checks: ArchiveCheck[] = [];
  for (const file of files) {
    if (signal?.aborted) break;
    try {
      const listing = await listArchive(path.resolve(repoRoot, file));
      checks.push({
        file,
        missing: required.filter((name) => !hasRequired(listing.entries, name)),
        unsafe: listing.unsafe,
      });
    } catch (err) {
      const error = err instanceof ArchiveError ? err.reason : errorMessage(err);
      checks.push({ file, missing: [], unsafe: [], error });
    }
  }
  return { files, ignored, checks };
}

const SHOWN_UNSAFE = 5;

export function noticesOutcome(globs: string[], search: ArchiveSearch, interrupted = false): Outcome {
  const { checks } = search;
  const details = { globs, ...search };
  if (interrupted)
    return { status: "incomplete", summary: `interrupted after ${checks.length} archive(s)`, details };
  if (checks.length === 0) {
    const ignored = search.ignored.length ? ` (${search.ignored.length} non-archive file(s) ignored)` : "";
    return {
      status: "incomplete",
      summary: `no artifact found for ${globs.join(", ")}: nothing to check${ignored}`,
      details,
    };
  }
  const problems = checks.flatMap((c) => {
    const unsafe = c.unsafe.slice(0, SHOWN_UNSAFE).map((u) => `${u.path} (${u.reason})`);
    if (c.unsafe.length > SHOWN_UNSAFE) unsafe.push(`… ${c.unsafe.length - SHOWN_UNSAFE} more`);
    return [
      ...(c.error ? [`${c.file}: ${c.error}`] : []),
      ...(c.missing.length ? [`${c.file} lacks ${c.missing.join(", ")}`] : []),
      ...(c.unsafe.length
        ? [`${c.file} has unsafe entr${c.unsafe.length > 1 ? "ies" : "y"} ${unsafe.join(", ")}`]
        : []),
    ];
  });
  if (problems.length > 0) return { status: "fail", summary: problems.join("; "), details };
  return {
    status: "pass",
    summary: `${checks.length} archive${checks.length === 1 ? "" : "s"} carry the required notices`,
    details,
  };
}

export const licensingNoticesKind = defineGateKind({
  kind: "licensing-notices",
  description: "Every archive matched by the globs holds the required notice files.",
  schema: licensingNoticesGateSchema,
  // Artifacts are usually build outputs git ignores, so the tree fingerprint cannot see them change.
  cacheInputs: (gate, { repoRoot }) =>
    expandGlobs(repoRoot, gate.artifacts).map((file) => {
      const stat = statSync(path.resolve(repoRoot, file));
      return [file, stat.size, stat.mtimeMs];
    }),
  async run(gate, ctx) {
    const search = await checkArchives(ctx.repoRoot, gate.artifacts, gate.require, ctx.signal);
    for (const c of search.checks) {
      const unsafe = c.unsafe.map((u) => u.path).join(", ");
      ctx.log.write(`${c.file}: ${c.error ?? `missing [${c.missing.join(", ")}] unsafe [${unsafe}]`}\n`);
    }
    for (const f of search.ignored) ctx.log.write(`${f}: not a .tar.gz/.tgz/.whl/.zip, ignored\n`);
    const interrupted = ctx.signal.aborted && search.checks.length < search.files.length;
    return noticesOutcome(gate.artifacts, search, interrupted);
  },
});
