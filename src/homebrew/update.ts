// Rewrites a formula's version, urls and sha256 values for a release, in place: only the bytes between
// those values' quotes change. Refuses (throws) rather than write a formula that would not verify.
import { assetName } from "../artifacts/asset-template.js";
import { type Sha256Sums, sumFor } from "../artifacts/sha256sums.js";
import { ExitCode, ShipgateError } from "../errors.js";
import { evaluateString, type FormulaProblem, type FormulaString } from "./parse.js";
import { type FormulaTarget, inspectFormula, releaseUrlParts } from "./verify.js";

/** The formula cannot be brought to the release by rewriting values: its shape or the sums are at fault. */
export class FormulaUpdateError extends ShipgateError {
  constructor(
    readonly problems: FormulaProblem[],
    lead = "formula not updated",
  ) {
    super(`${lead}: ${problems.map((p) => p.message).join("; ")}`, ExitCode.blocked);
    this.name = "FormulaUpdateError";
  }
}

export interface FormulaChange {
  line: number;
  field: "version" | "url" | "sha256";
  platform?: string;
  from: string;
  to: string;
}

export interface FormulaUpdate<T> {
  /** The updated formula (identical to the input when nothing changed). */
  formula: T;
  changed: boolean;
  changes: FormulaChange[];
}

interface Edit {
  target: FormulaString;
  text: string;
  change: FormulaChange;
}

/** The value written as the inside of a Ruby literal with the given quote. */
function rubyLiteral(value: string, quote: '"' | "'"): string {
  if (quote === "'") return value.replace(/[\\']/g, "\\$&");
  return value.replace(/[\\"]/g, "\\$&").replace(/#(?=[{$@])/g, "\\#");
}

/** The release url for the target, keeping the current url's host, path prefix, query and fragment. */
function targetUrl(current: string, target: FormulaTarget, asset: string): string {
  const tail = `/releases/download/${encodeURIComponent(target.tag)}/${encodeURIComponent(asset)}`;
  const canonical = target.repoSlug ? `https://github.com/${target.repoSlug}${tail}` : undefined;
  const parts = releaseUrlParts(current);
  const sameRepo =
    parts !== null &&
    (target.repoSlug === undefined ||
      (parts.host === "https://github.com" &&
        `${parts.owner}/${parts.repo}`.toLowerCase() === target.repoSlug.toLowerCase()));
  if (!sameRepo) return canonical!; // inspectFormula refused a non-release url when there is no repoSlug
  const cut = current.search(/[?#]/);
  const base = cut < 0 ? current : current.slice(0, cut);
  const suffix = cut < 0 ? "" : current.slice(cut);
  return `${base.slice(0, base.lastIndexOf("/releases/download/"))}${tail}${suffix}`;
}

/**
 * Brings the formula to the release: version, each configured platform's url (tag and file name) and
 * sha256 from `sums`. Throws FormulaUpdateError, writing nothing, when a platform is missing from the
 * formula or the sums, a url lacks its sha256, or anything else a value rewrite cannot repair; and when
 * the rewritten formula does not verify. Updating an updated formula returns it unchanged.
 */
export function updateFormula(
  formula: string,
  sums: Sha256Sums,
  target: FormulaTarget,
): FormulaUpdate<string>;
export function updateFormula(
  formula: Uint8Array,
  sums: Sha256Sums,
  target: FormulaTarget,
): FormulaUpdate<Buffer>;
export function updateFormula(
  formula: string | Uint8Array,
  sums: Sha256Sums,
  target: FormulaTarget,
): FormulaUpdate<string> | FormulaUpdate<Buffer> {
  const { parsed, stanzas, problems } = inspectFormula(formula, sums, target);
  const blocking = problems.filter((p) => !p.fixable);
  if (blocking.length > 0) throw new FormulaUpdateError(blocking);

  const edits: Edit[] = [];
  const edit = (str: FormulaString, value: string, field: FormulaChange["field"], platform?: string) => {
    if (str.interpolations.length === 0 && str.value === value) return;
    edits.push({
      target: str,
      text: rubyLiteral(value, str.quote),
      change: { line: str.line, field, ...(platform ? { platform } : {}), from: str.value, to: value },
    });
  };
  edit(parsed.versions[0]!, target.version, "version");
  for (const stanza of stanzas) {
    const platform = stanza.platform!;
    const asset = assetName(target.template, target.version, platform);
    const url = targetUrl(stanza.resolvedUrl!, target, asset);
    // A url spelled with #{version} stays as written when it already yields the new url.
    if (evaluateString(stanza.url, target.version) !== url) edit(stanza.url, url, "url", platform);
    edit(stanza.sha256!, sumFor(sums, asset)!, "sha256", platform);
  }

  edits.sort((a, b) => a.target.start - b.target.start);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const { target: str, text } of edits) {
    pieces.push(parsed.bytes.subarray(at, str.start), Buffer.from(text, "utf8"));
    at = str.end;
  }
  pieces.push(parsed.bytes.subarray(at));
  const bytes = edits.length === 0 ? parsed.bytes : Buffer.concat(pieces);

  const after = inspectFormula(bytes, sums, target).problems;
  if (after.length > 0)
    throw new FormulaUpdateError(after, "the rewritten formula still fails verification; not written");
  const changes = edits.map((e) => e.change);
  const changed = edits.length > 0;
  if (typeof formula === "string")
    return { formula: changed ? bytes.toString("utf8") : formula, changed, changes };
  return { formula: bytes, changed, changes };
}
