// Inline SVG charts for the report's bench section: one strip per scenario with the change estimate, its
// interval and the threshold, on an axis shared by all scenarios so they compare at a glance.
import { esc, text } from "./html.js";

/** A scenario's change in percent (> 0 = slower); null ends of the interval are unbounded. */
export interface ChangeRow {
  estimate: number | null;
  /** Absent when the ledger has no interval; an end is null when that side is unbounded. */
  interval: [number | null, number | null] | null;
  /** good / bad / warn / muted: the verdict's tone, coloured by the page's CSS. */
  tone: string;
  /** The chart's accessible description (plain text from the ledger; redacted and escaped here). */
  label: string;
}

export interface Axis {
  min: number;
  max: number;
}

const W = 320;
const H = 44;
const LEFT = 8;
const RIGHT = W - 8;
const Y = 18;

/** One axis for every strip: covers 0, the threshold, every estimate and every bounded interval end. */
export function sharedAxis(rows: ChangeRow[], threshold: number | null): Axis {
  const values = [0, ...(threshold === null ? [] : [threshold])];
  for (const r of rows) {
    if (r.estimate !== null) values.push(r.estimate);
    for (const end of r.interval ?? []) if (end !== null) values.push(end);
  }
  const finite = values.filter((v) => Number.isFinite(v));
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  const span = Math.max(max - min, 10);
  min -= span * 0.08;
  max += span * 0.08;
  return { min, max };
}

export function signedPercent(n: number): string {
  const digits = Math.abs(n) >= 100 ? 0 : 1;
  return `${n > 0 ? "+" : n < 0 ? "−" : ""}${Math.abs(n).toFixed(digits)} %`;
}

/** The strip for one scenario: regression zone beyond the threshold, zero line, interval and estimate. */
export function changeStrip(row: ChangeRow, axis: Axis, threshold: number | null): string {
  const x = (v: number) =>
    LEFT + ((RIGHT - LEFT) * (Math.min(Math.max(v, axis.min), axis.max) - axis.min)) / (axis.max - axis.min);
  const f = (n: number) => n.toFixed(1);
  const parts: string[] = [];
  if (threshold !== null) {
    const tx = x(threshold);
    parts.push(
      `<rect class="zone" x="${f(tx)}" y="4" width="${f(RIGHT - tx)}" height="${Y + 8}"/>`,
      `<line class="threshold" x1="${f(tx)}" x2="${f(tx)}" y1="4" y2="${Y + 12}"/>`,
    );
  }
  const zx = x(0);
  parts.push(
    `<line class="axis" x1="${LEFT}" x2="${RIGHT}" y1="${Y + 12}" y2="${Y + 12}"/>`,
    `<line class="zero" x1="${f(zx)}" x2="${f(zx)}" y1="4" y2="${Y + 12}"/>`,
  );
  const lines: [number, string, string][] = [[zx, "0", "middle"]];
  if (threshold !== null) lines.push([x(threshold), signedPercent(threshold), "middle"]);
  // The axis ends are labelled only where they do not crowd a line's label.
  const ends: [number, string, string][] = [
    [LEFT, signedPercent(axis.min), "start"],
    [RIGHT, signedPercent(axis.max), "end"],
  ];
  const shown = [...lines, ...ends.filter(([ex]) => lines.every(([lx]) => Math.abs(lx - ex) > 40))];
  for (const [lx, t, anchor] of shown)
    parts.push(`<text x="${f(lx)}" y="${H - 2}" text-anchor="${anchor}">${esc(t)}</text>`);

  const g: string[] = [];
  if (row.interval) {
    const [lo, hi] = row.interval;
    const x1 = lo === null ? LEFT : x(lo);
    const x2 = hi === null ? RIGHT : x(hi);
    g.push(`<line class="ci" x1="${f(x1)}" x2="${f(x2)}" y1="${Y}" y2="${Y}"/>`);
    // An unbounded end is drawn as an arrowhead at the edge of the axis.
    if (lo === null) g.push(`<path class="est" d="M${LEFT} ${Y} l7 -5 v10 z"/>`);
    if (hi === null) g.push(`<path class="est" d="M${RIGHT} ${Y} l-7 -5 v10 z"/>`);
  }
  if (row.estimate !== null) g.push(`<circle class="est" cx="${f(x(row.estimate))}" cy="${Y}" r="5"/>`);
  else g.push(`<text x="${W / 2}" y="${Y + 4}" text-anchor="middle">no estimate</text>`);
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${text(row.label)}"><title>${text(row.label)}</title>${parts.join("")}<g class="${esc(row.tone)}">${g.join("")}</g></svg>`;
}
