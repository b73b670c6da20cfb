// Bench summaries: summary.json, a summary.md table like the runbook's, and one SVG chart per scenario,
// each saying which rule and statistic decided, with the estimate and interval of every scenario.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BenchMethod } from "./method.js";
import type { ScenarioStats } from "./stats.js";

const fmt = (n: number | null, digits = 4) => (n === null ? "—" : Number(n.toPrecision(digits)).toString());
const pct = (n: number | null) => (n === null ? "—" : `${n >= 0 ? "+" : ""}${n.toFixed(1)} %`);
/** A slowdown ratio as a change in percent; an unbounded interval end as ±∞. */
const ratioPct = (r: number) => (Number.isFinite(r) ? pct((r - 1) * 100) : r > 0 ? "+∞" : "−∞");
const intervalText = (s: ScenarioStats) => (s.ci ? `${ratioPct(s.ci[0])} … ${ratioPct(s.ci[1])}` : "—");

export function slug(scenario: string): string {
  return (
    scenario
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 80) || "scenario"
  );
}

/** The paragraph that says what decided: statistic, interval, rule and the run plan. */
export function methodText(method: BenchMethod): string {
  return [
    `Decided by **${method.statistic}**: ${method.estimate}; interval: ${method.interval}, ${method.confidence * 100} %.`,
    `Rule (threshold ${method.thresholdPercent} %): ${method.rule}.`,
    `Runs: decisions from ${method.startRuns} runs a side (the statistic's interval holds its coverage from ${method.minRuns}), at most ${method.maxRuns}.`,
    ...method.notes.map((n) => `Note: ${n}.`),
  ].join("\n");
}

export function markdownTable(scenarios: ScenarioStats[], metric: string, method: BenchMethod): string {
  const rows = scenarios.map((s) => {
    const runs = `${s.baseSamples.length}/${s.candidateSamples.length}`;
    const verdict = `${s.verdict}${s.missingOn ? ` (missing on ${s.missingOn})` : ""}${s.note ? ` (${s.note})` : ""}`;
    return `| ${s.scenario.replace(/\|/g, "\\|")} | ${fmt(s.baseMedian)} | ${fmt(s.candidateMedian)} | ${pct(s.regressionPercent)} | ${intervalText(s)} | ${runs} | ${s.statistic ?? "—"} | ${verdict.replace(/\|/g, "\\|")} |`;
  });
  return [
    `| scenario | base median ${metric} | candidate median ${metric} | change (estimate) | ${method.confidence * 100} % interval of change | runs (base/cand.) | statistic | verdict |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/**
 * A strip chart of both sides' samples with their medians, and under it the slowdown scale with
 * the estimate, its interval, no change (1) and the threshold. Hand-written: a few dozen SVG
 * elements do not justify a charting dependency.
 */
export function scenarioSvg(s: ScenarioStats, metric: string, method: BenchMethod): string {
  const width = 480;
  const height = 330;
  const pad = 40;
  const plotBottom = 214;
  const all = [...s.baseSamples, ...s.candidateSamples];
  const max = Math.max(...all, Number.MIN_VALUE) * 1.1;
  const y = (v: number) => plotBottom - ((plotBottom - 66) * v) / max;
  const column = (values: number[], x: number, color: string, label: string) => {
    const dots = values.map(
      (v, i) =>
        `<circle cx="${x + ((i % 5) - 2) * 6}" cy="${y(v).toFixed(1)}" r="4" fill="${color}" fill-opacity="0.7"/>`,
    );
    const med = values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] : undefined;
    const line =
      med === undefined
        ? ""
        : `<line x1="${x - 30}" x2="${x + 30}" y1="${y(med).toFixed(1)}" y2="${y(med).toFixed(1)}" stroke="${color}" stroke-width="2"/>`;
    return [
      ...dots,
      line,
      `<text x="${x}" y="${plotBottom + 14}" text-anchor="middle" font-size="12">${label} (${values.length})</text>`,
    ].join("\n  ");
  };
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const limit = 1 + method.thresholdPercent / 100;
  // The slowdown scale: wide enough for no change, the threshold and the finite interval ends.
  const finite = [1, limit, ...(s.ci ?? []), ...(s.slowdown === null ? [] : [s.slowdown])].filter(
    Number.isFinite,
  );
  const lo = Math.min(...finite) - 0.05;
  const hi = Math.max(...finite) + 0.05;
  const axisY = 294;
  const x = (r: number) => pad + ((width - 2 * pad) * (Math.min(Math.max(r, lo), hi) - lo)) / (hi - lo);
  const scale = [
    `<line x1="${pad}" x2="${width - pad}" y1="${axisY}" y2="${axisY}" stroke="#999"/>`,
    `<line x1="${x(1).toFixed(1)}" x2="${x(1).toFixed(1)}" y1="${axisY - 10}" y2="${axisY + 10}" stroke="#555"/>`,
    `<text x="${x(1).toFixed(1)}" y="${axisY + 22}" text-anchor="middle" font-size="10">no change</text>`,
    `<line x1="${x(limit).toFixed(1)}" x2="${x(limit).toFixed(1)}" y1="${axisY - 10}" y2="${axisY + 10}" stroke="#d62728" stroke-dasharray="3,2"/>`,
    `<text x="${x(limit).toFixed(1)}" y="${axisY + 22}" text-anchor="middle" font-size="10" fill="#d62728">+${method.thresholdPercent} %</text>`,
    ...(s.ci
      ? [
          `<line x1="${x(s.ci[0]).toFixed(1)}" x2="${x(s.ci[1]).toFixed(1)}" y1="${axisY}" y2="${axisY}" stroke="#333" stroke-width="4"/>`,
        ]
      : []),
    ...(s.slowdown === null
      ? []
      : [`<circle cx="${x(s.slowdown).toFixed(1)}" cy="${axisY}" r="5" fill="#333"/>`]),
  ];
  const decided =
    s.ci && s.statistic
      ? `decided by ${s.statistic}: change ${pct(s.regressionPercent)}, ${method.confidence * 100} % interval ${intervalText(s)}`
      : `${s.note ?? "no change estimate"}`;
  const t = `+${method.thresholdPercent} %`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
  <rect width="100%" height="100%" fill="white"/>
  <text x="10" y="18" font-size="12">${esc(s.scenario)}</text>
  <text x="10" y="34" font-size="11" fill="#555">${esc(`${metric}: ${s.verdict}`)}</text>
  <text x="10" y="50" font-size="11" fill="#555">${esc(decided)}</text>
  <line x1="${pad}" x2="${pad}" y1="66" y2="${plotBottom}" stroke="#999"/>
  <line x1="${pad}" x2="${width - 10}" y1="${plotBottom}" y2="${plotBottom}" stroke="#999"/>
  <text x="${pad - 4}" y="${y(max / 1.1).toFixed(1)}" text-anchor="end" font-size="10">${fmt(max / 1.1, 3)}</text>
  <text x="${pad - 4}" y="${plotBottom}" text-anchor="end" font-size="10">0</text>
  ${column(s.baseSamples, 170, "#1f77b4", "base")}
  ${column(s.candidateSamples, 330, "#ff7f0e", "candidate")}
  <text x="10" y="${axisY - 32}" font-size="10" fill="#555">slowdown: estimate (dot), ${method.confidence * 100} % interval (bar)</text>
  <text x="10" y="${axisY - 18}" font-size="10" fill="#555">${esc(`regressed if estimate ≥ ${t} and interval above no change; ok if interval below ${t}`)}</text>
  ${scale.join("\n  ")}
</svg>
`;
}

export interface SummaryFiles {
  json: string;
  md: string;
  charts: string[];
}

export function writeSummaries(
  dir: string,
  report: Record<string, unknown>,
  scenarios: ScenarioStats[],
  metric: string,
  headline: string,
  method: BenchMethod,
): SummaryFiles {
  mkdirSync(path.join(dir, "charts"), { recursive: true });
  const files: SummaryFiles = {
    json: path.join(dir, "summary.json"),
    md: path.join(dir, "summary.md"),
    charts: [],
  };
  for (const s of scenarios) {
    const file = path.join(dir, "charts", `${slug(s.scenario)}.svg`);
    writeFileSync(file, scenarioSvg(s, metric, method));
    files.charts.push(file);
  }
  writeFileSync(files.json, `${JSON.stringify({ ...report, scenarios }, null, 2)}\n`);
  const charts = files.charts.map((c) => `![${path.basename(c)}](charts/${path.basename(c)})`).join("\n");
  writeFileSync(
    files.md,
    `# Performance regression guard\n\n${headline}\n\n${methodText(method)}\n\n${markdownTable(scenarios, metric, method)}\n\n${charts}\n`,
  );
  return files;
}
