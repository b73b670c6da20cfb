// The report's bench section, read defensively from the ledger's free-form `bench` record: the known
// fields (status, summary, per-scenario verdicts with estimate and interval) are charted and tabled, and
// every other field, whatever it is, is still shown.
import { type ChangeRow, changeStrip, sharedAxis, signedPercent } from "./charts.js";
import { anyValue, badge, dl, empty, isRecord, plain, table, text, tone } from "./html.js";

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
/** A ratio (candidate/base, > 1 = worse) as a change in percent. */
const percentOf = (ratio: number) => (ratio - 1) * 100;
const number = (v: unknown) => (finite(v) ? Number(v.toPrecision(4)).toString() : "—");

function estimateOf(v: Record<string, unknown>): number | null {
  if (finite(v.regressionPercent)) return v.regressionPercent;
  return finite(v.slowdown) ? percentOf(v.slowdown) : null;
}

/** The interval in percent; null ends (JSON's form of ±∞) are unbounded; anything else is no interval. */
function intervalOf(v: Record<string, unknown>): [number | null, number | null] | null {
  const ci = v.ci;
  if (!Array.isArray(ci) || ci.length !== 2) return null;
  const [lo, hi] = ci.map((end) => (finite(end) ? percentOf(end) : end === null ? null : Number.NaN));
  if (Number.isNaN(lo) || Number.isNaN(hi)) return null;
  return [lo ?? null, hi ?? null];
}

function intervalText(interval: [number | null, number | null] | null): string {
  if (!interval) return "—";
  const [lo, hi] = interval;
  return `${lo === null ? "−∞" : signedPercent(lo)} … ${hi === null ? "+∞" : signedPercent(hi)}`;
}

/** The threshold the verdicts were judged by: the ledger's when it records one, else the config's. */
function thresholdOf(bench: Record<string, unknown>, fallback: number | undefined): number | null {
  const decided = isRecord(bench.decidedBy) ? bench.decidedBy : {};
  for (const t of [bench.thresholdPercent, decided.thresholdPercent, fallback]) if (finite(t)) return t;
  return null;
}

function confidenceOf(bench: Record<string, unknown>): string {
  const decided = isRecord(bench.decidedBy) ? bench.decidedBy : {};
  const c = decided.confidence ?? bench.confidence;
  return finite(c) && c > 0 && c < 1 ? `${Math.round(c * 100)} % interval` : "interval";
}

const KNOWN_VERDICT_KEYS = new Set([
  "scenario",
  "verdict",
  "baseMedian",
  "candidateMedian",
  "regressionPercent",
  "slowdown",
  "ci",
]);

export function benchSection(bench: unknown, options: { thresholdPercent?: number | undefined }): string {
  if (bench === null || bench === undefined) return empty("No benchmark was recorded for this release.");
  if (!isRecord(bench)) return `<p>${text(bench)}</p>`;
  const threshold = thresholdOf(bench, options.thresholdPercent);
  const intervalName = confidenceOf(bench);
  const verdicts = (Array.isArray(bench.verdicts) ? bench.verdicts : []).filter(isRecord);
  const others = Object.entries(bench).filter(([k]) => !["status", "summary", "verdicts"].includes(k));

  const head = `<p>${badge(bench.status)} ${text(bench.summary)}</p>`;
  const facts = dl([
    ...(threshold === null ? [] : ([["threshold", text(signedPercent(threshold))]] as [string, string][])),
    ...others.map(([k, v]): [string, string] => [k, anyValue(v)]),
  ]);
  if (verdicts.length === 0) return `${head}${facts}${empty("No scenario verdicts were recorded.")}`;

  const rows: ChangeRow[] = verdicts.map((v) => ({
    estimate: estimateOf(v),
    interval: intervalOf(v),
    tone: tone(v.verdict),
    label: `${plain(v.scenario)}: ${plain(v.verdict)}, change ${describeChange(v)}`,
  }));
  const axis = sharedAxis(rows, threshold);
  const figures = verdicts.map((v, i) => {
    const row = rows[i] as ChangeRow;
    const notes = ["missingOn", "note"]
      .filter((k) => v[k] !== undefined)
      .map(
        (k) =>
          `<br><span class="muted">${text(k === "missingOn" ? `missing on ${plain(v[k])}` : v[k])}</span>`,
      )
      .join("");
    return `<figure>
<figcaption><strong>${text(v.scenario)}</strong> ${badge(v.verdict)} <span class="muted">change ${text(describeChange(v))}</span>${notes}</figcaption>
${changeStrip(row, axis, threshold)}
</figure>`;
  });
  const legend = `<p class="muted">Change of the candidate against the base (right = slower): the dot is the estimate, the bar its ${text(intervalName)}${threshold === null ? "" : `, the shaded zone lies beyond the ${text(signedPercent(threshold))} threshold`}.</p>`;

  const extra = [...new Set(verdicts.flatMap((v) => Object.keys(v)))].filter(
    (k) => !KNOWN_VERDICT_KEYS.has(k),
  );
  const tableRows = verdicts.map((v, i) => [
    text(v.scenario),
    badge(v.verdict),
    text(number(v.baseMedian)),
    text(number(v.candidateMedian)),
    text(rows[i]?.estimate === null ? "—" : signedPercent(rows[i]?.estimate as number)),
    text(intervalText(rows[i]?.interval ?? null)),
    ...extra.map((k) => (v[k] === undefined ? "" : anyValue(v[k]))),
  ]);
  return `${head}${facts}${legend}${figures.join("\n")}${table(
    ["scenario", "verdict", "base median", "candidate median", "change", intervalName, ...extra],
    tableRows,
    [0],
  )}`;
}

function describeChange(v: Record<string, unknown>): string {
  const estimate = estimateOf(v);
  const interval = intervalOf(v);
  if (estimate === null && !interval) return "not estimated";
  return `${estimate === null ? "—" : signedPercent(estimate)}${interval ? ` (${intervalText(interval)})` : ""}`;
}
