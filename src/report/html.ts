// HTML building blocks for the report. Every string that comes from the ledger goes through `text` (redacted,
// then escaped) and every link through `link` (http and https only), so a section cannot forget either.
import { redact } from "../evidence/redact.js";

/** Escapes for element content and double- or single-quoted attribute values alike. */
export function esc(raw: string): string {
  return raw
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A ledger value as safe HTML text: redacted, then escaped. Objects are shown as compact JSON. */
export function text(value: unknown): string {
  return esc(redact(plain(value)));
}

/** A value's plain-text form (before redaction and escaping). */
export function plain(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "";
}

/** The URL when it is an absolute http(s) URL (after redaction), else null: no javascript:, file:, data:. */
export function webUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const redacted = redact(value.trim());
  try {
    const url = new URL(redacted);
    return url.protocol === "http:" || url.protocol === "https:" ? redacted : null;
  } catch {
    return null;
  }
}

function anchor(url: string, shownHtml: string): string {
  return `<a href="${esc(url)}" rel="noreferrer noopener">${shownHtml}</a>`;
}

/** A link when the value is an http(s) URL, else the value as text. */
export function link(value: unknown, label?: string): string {
  const url = webUrl(value);
  const shown = text(label ?? value);
  return url ? anchor(url, shown) : shown;
}

/** Text with every http(s) URL inside it made a link (redacted first, so a link never carries a secret). */
export function linkify(value: unknown): string {
  const redacted = redact(plain(value));
  let html = "";
  let last = 0;
  for (const match of redacted.matchAll(/https?:\/\/[^\s<>"'`]+/g)) {
    // Sentence punctuation after a URL is not part of it.
    const candidate = match[0].replace(/[.,;:!?)\]]+$/, "");
    const url = webUrl(candidate);
    if (!url) continue;
    html += `${esc(redacted.slice(last, match.index))}${anchor(url, esc(url))}`;
    last = match.index + candidate.length;
  }
  return html + esc(redacted.slice(last));
}

const TONES: Record<string, string> = {
  pass: "good",
  ok: "good",
  live: "good",
  resolved: "good",
  success: "good",
  pushed: "good",
  fail: "bad",
  failure: "bad",
  regressed: "bad",
  wrong: "bad",
  open: "bad",
  incomplete: "warn",
  missing: "warn",
  pending: "warn",
  running: "warn",
  stale: "warn",
  inconclusive: "warn",
  skipped: "muted",
  closed: "muted",
  noise_floor: "muted",
  no_baseline: "muted",
  "dry-run": "muted",
};

/** The colour class of a status word: good, bad, warn, muted, or plain for a word it does not know. */
export function tone(status: unknown): string {
  const word = plain(status);
  return Object.hasOwn(TONES, word) ? (TONES[word] as string) : "plain";
}

/** A status word as a coloured badge; the word itself is always shown, so colour is never the only cue. */
export function badge(status: unknown): string {
  const word = plain(status) || "unknown";
  return `<span class="badge ${tone(word)}">${text(word)}</span>`;
}

/** A definition list; keys are text, values are HTML already (callers use `text`/`link`). Empty values are dropped. */
export function dl(entries: [string, string][]): string {
  const kept = entries.filter(([, v]) => v !== "");
  if (kept.length === 0) return "";
  return `<dl>${kept.map(([k, v]) => `<dt>${text(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

/**
 * A table inside its own scrolling box, so a wide table never widens the page. Cells are HTML; columns
 * listed in `wide` (long prose: titles, summaries, URLs) get room to wrap instead of a narrow column.
 */
export function table(headers: string[], rows: string[][], wide: number[] = []): string {
  const cls = (i: number) => (wide.includes(i) ? ' class="wide"' : "");
  const head = headers.map((h, i) => `<th scope="col"${cls(i)}>${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join("")}</tr>`).join("\n");
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A block of log text (an excerpt) shown as preformatted text in its own scrolling box. */
export function pre(value: unknown): string {
  return `<pre>${text(value)}</pre>`;
}

/** The note an empty section shows instead of its content. */
export function empty(note: string): string {
  return `<p class="empty">${esc(note)}</p>`;
}

export function code(value: unknown): string {
  return `<code>${text(value)}</code>`;
}

export function seconds(ms: unknown): string {
  return typeof ms === "number" && Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : "";
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Any value as HTML: a string as text (a link when it is an http(s) URL), an array of scalars as a
 * comma list, an object or a nested array as a nested definition list or list.
 */
export function anyValue(value: unknown): string {
  if (typeof value === "string") return link(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="muted">none</span>';
    if (value.every((v) => typeof v !== "object" || v === null)) return value.map((v) => link(v)).join(", ");
    return `<ol class="plain">${value.map((v) => `<li>${anyValue(v)}</li>`).join("")}</ol>`;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '<span class="muted">none</span>';
    return dl(entries.map(([k, v]) => [k, anyValue(v) || '<span class="muted">—</span>']));
  }
  return text(value);
}

/** Like `linkify`, cut to `max` characters; the cut is made after redaction, so it never splits a secret open. */
export function clip(value: unknown, max: number): string {
  const redacted = redact(plain(value));
  return linkify(redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted);
}
