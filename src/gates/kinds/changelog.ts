// Gate kind `changelog`: the changelog has a dated section for the target version. A missing or
// unreadable file, an undated section or only an [Unreleased] section fails, naming the problem. The file
// is read as Markdown (marked's lexer): a "## 1.2.0" line inside a code block or an HTML comment is
// not a heading and does not count.
import { readFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import { repoPath } from "../../config/repo-path.js";
import { defineGateKind, type Outcome } from "../types.js";

export const changelogGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("changelog"),
  file: repoPath("file").default("CHANGELOG.md"),
});
export type ChangelogGate = z.infer<typeof changelogGateSchema>;

interface Heading {
  version: string;
  /** What follows the version: the dash and date, or "(date)". */
  rest: string;
}

/** `## [1.2.0](link) …`, `## [v1.2.0] …`, `## 1.2.0 …`: the version named and what follows it. */
function parseHeading(line: string): Heading | null {
  const text = /^##[ \t]+(.*?)\s*$/.exec(line)?.[1];
  if (text === undefined) return null;
  const bracketed = /^\[([^\]]*)\](?:\([^)]*\))?\s*(.*)$/.exec(text);
  const [, version, rest] = bracketed ?? /^(\S+)\s*(.*)$/.exec(text) ?? [];
  if (version === undefined) return null;
  return { version: version.replace(/^v/, ""), rest: rest ?? "" };
}

/**
 * Accepts `## [X.Y.Z] - YYYY-MM-DD` (Keep a Changelog), also with `v`, without brackets, with an
 * en/em dash, or as release-please writes it, `## [X.Y.Z](compare-link) (YYYY-MM-DD)`, since
 * maintainers write all of these. The version must match exactly (1.2.0 is not 1.2.0-rc.1) and the
 * date must be a real calendar date.
 */
export async function changelogOutcome(text: string, version: string, file: string): Promise<Outcome> {
  // Loaded on first use: only this kind reads Markdown.
  const { Lexer } = await import("marked");
  const headings = Lexer.lex(text)
    .filter((token) => token.type === "heading" && token.depth === 2)
    .flatMap((token) => parseHeading(`## ${(token as { text: string }).text}`) ?? []);
  const section = headings.find((h) => h.version === version);
  if (!section) {
    const unreleased = headings.some((h) => h.version.toLowerCase() === "unreleased");
    return {
      status: "fail",
      summary: `${file} has no section for ${version}${unreleased ? ` (only [Unreleased]: rename it to [${version}] - <date>)` : ""}`,
    };
  }
  const dated = /^(?:[-\u2013\u2014]\s*(\d{4})-(\d{2})-(\d{2})\b|\((\d{4})-(\d{2})-(\d{2})\))/.exec(
    section.rest,
  );
  if (!dated)
    return {
      status: "fail",
      summary: `${file}: the ${version} section has no date (expected "## [${version}] - YYYY-MM-DD")`,
    };
  const [y, m, d] = (dated[1] ? dated.slice(1, 4) : dated.slice(4, 7)) as [string, string, string];
  const iso = `${y}-${m}-${d}`;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.toISOString().slice(0, 10) !== iso) {
    return {
      status: "fail",
      summary: `${file}: the ${version} section's date ${iso} is not a calendar date`,
    };
  }
  return { status: "pass", summary: `${file} has the ${version} section dated ${iso}` };
}

export const changelogKind = defineGateKind({
  kind: "changelog",
  description: "The changelog has a `## [X.Y.Z] - YYYY-MM-DD` section for the target.",
  schema: changelogGateSchema,
  async run(gate, ctx) {
    let text: string;
    try {
      text = readFileSync(path.resolve(ctx.repoRoot, gate.file), "utf8");
    } catch (err) {
      const why =
        (err as NodeJS.ErrnoException).code === "ENOENT"
          ? "does not exist"
          : `cannot be read: ${(err as Error).message}`;
      return { status: "fail", summary: `${gate.file} ${why}` };
    }
    return await changelogOutcome(text, ctx.version, gate.file);
  },
});
