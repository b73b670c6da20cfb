// Gate kind `licensing-notices`: every shipped archive contains the required notice files.
import path from "node:path";
import { z } from "zod";
import { ArchiveError, archiveFormat, listArchive } from "../../artifacts/archive.js";
import { expandGlobs } from "../../artifacts/glob.js";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind, Outcome } from "../types.js";

export const licensingNoticesGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("licensing-notices"),
  artifacts: z
    .array(z.string().min(1))
    .min(1)
    .meta({ description: "globs of .tar.gz, .tgz, .whl, .zip archives, relative to the repo root" }),
  require: z.array(z.string().min(1)).min(1).default(["LICENSE", "THIRD_PARTY_NOTICES.md"]),
});
export type LicensingNoticesGate = z.infer<typeof licensingNoticesGateSchema>;

export interface ArchiveCheck {
  file: string;
  missing: string[];
  unsafe: string[];
  error?: string;
}

/**
 * A required name is found by basename anywhere in the archive (npm tarballs hold package/LICENSE,
 * sdists name-1.0/LICENSE, wheels *.dist-info/licenses/LICENSE). A name without an extension also
 * matches that name with one (LICENSE.md, LICENSE.txt).
 */
export function hasRequired(entries: string[], name: string): boolean {
  return entries.some((entry) => {
    const base = path.posix.basename(entry.replace(/\\/g, "/").replace(/\/+$/, ""));
    if (base === name) return true;
    return !path.extname(name) && base.startsWith(`${name}.`) && !entry.endsWith("/");
  });
}

export async function checkArchives(
  repoRoot: string,
  globs: string[],
  required: string[],
): Promise<{ files: string[]; checks: ArchiveCheck[] }> {
  const files = expandGlobs(repoRoot, globs).filter((f) => archiveFormat(f) !== null);
  const checks: ArchiveCheck[] = [];
  for (const file of files) {
    try {
      const listing = await listArchive(path.resolve(repoRoot, file));
      checks.push({
        file,
        missing: required.filter((name) => !hasRequired(listing.entries, name)),
        unsafe: listing.unsafe,
      });
    } catch (err) {
      const message =
        err instanceof ArchiveError ? err.message.slice(err.file.length + 2) : (err as Error).message;
      checks.push({ file, missing: [], unsafe: [], error: message });
    }
  }
  return { files, checks };
}

export function noticesOutcome(globs: string[], checks: ArchiveCheck[]): Outcome {
  if (checks.length === 0) {
    return {
      status: "incomplete",
      summary: `no artifact found for ${globs.join(", ")}: nothing to check`,
      details: { globs },
    };
  }
  const problems = checks.flatMap((c) => [
    ...(c.error ? [`${c.file}: ${c.error}`] : []),
    ...(c.missing.length ? [`${c.file} lacks ${c.missing.join(", ")}`] : []),
    ...(c.unsafe.length
      ? [`${c.file} has unsafe entr${c.unsafe.length > 1 ? "ies" : "y"} ${c.unsafe.join(", ")}`]
      : []),
  ]);
  if (problems.length > 0)
    return { status: "fail", summary: problems.join("; "), details: { archives: checks } };
  return {
    status: "pass",
    summary: `${checks.length} archive${checks.length === 1 ? "" : "s"} carry the required notices`,
    details: { archives: checks },
  };
}

export const licensingNoticesKind: GateKind<LicensingNoticesGate> = {
  kind: "licensing-notices",
  description: "Every archive matched by the globs holds the required notice files.",
  schema: licensingNoticesGateSchema,
  async run(gate, ctx) {
    const { checks } = await checkArchives(ctx.repoRoot, gate.artifacts, gate.require);
    for (const c of checks) {
      ctx.log.write(
        `${c.file}: ${c.error ?? `missing [${c.missing.join(", ")}] unsafe [${c.unsafe.join(", ")}]`}\n`,
      );
    }
    return noticesOutcome(gate.artifacts, checks);
  },
};
