// Gate kind `changelog`: the changelog has a dated section for the target version.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind, Outcome } from "../types.js";

export const changelogGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("changelog"),
  file: z.string().min(1).default("CHANGELOG.md"),
});
export type ChangelogGate = z.infer<typeof changelogGateSchema>;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Accepts `## [X.Y.Z] - YYYY-MM-DD` (Keep a Changelog), also with `v`, without brackets, or with an
 * en/em dash, since maintainers write all of these; the date must be a real calendar date.
 */
export function changelogOutcome(text: string, version: string, file: string): Outcome {
  const heading = new RegExp(`^##\\s+\\[?v?${escapeRegex(version)}\\]?(.*)$`, "m");
  const match = heading.exec(text);
  if (!match) {
    const unreleased = /^##\s+\[?Unreleased\]?/im.test(text);
    return {
      status: "fail",
      summary: `${file} has no section for ${version}${unreleased ? ` (only [Unreleased]: rename it to [${version}] - <date>)` : ""}`,
    };
  }
  const rest = match[1] ?? "";
  const dated = /^\s*[-–—]\s*(\d{4})-(\d{2})-(\d{2})\b/.exec(rest);
  if (!dated)
    return {
      status: "fail",
      summary: `${file}: the ${version} section has no date (expected "## [${version}] - YYYY-MM-DD")`,
    };
  const [y, m, d] = [Number(dated[1]), Number(dated[2]), Number(dated[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return {
      status: "fail",
      summary: `${file}: the ${version} section's date ${dated[1]}-${dated[2]}-${dated[3]} is not a calendar date`,
    };
  }
  return {
    status: "pass",
    summary: `${file} has the ${version} section dated ${dated[1]}-${dated[2]}-${dated[3]}`,
  };
}

export const changelogKind: GateKind<ChangelogGate> = {
  kind: "changelog",
  description: "The changelog has a `## [X.Y.Z] - YYYY-MM-DD` section for the target.",
  schema: changelogGateSchema,
  async run(gate, ctx) {
    let text: string;
    try {
      text = readFileSync(path.resolve(ctx.repoRoot, gate.file), "utf8");
    } catch (err) {
      const why =
        (err as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : (err as Error).message;
      return { status: "fail", summary: `${gate.file} ${why}` };
    }
    return changelogOutcome(text, ctx.version, gate.file);
  },
};
