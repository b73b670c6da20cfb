// Bench summaries: summary.json, a summary.md table like the runbook's, and one SVG chart per scenario.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ScenarioStats } from "./stats.js";

const fmt = (n: number | null, digits = 4) => (n === null ? "—" : Number(n.toPrecision(digits)).toString());
const pct = (n: number | null) => (n === null ? "—" : `${n >= 0 ? "+" : ""}${n.toFixed(1)} %`);

export function slug(scenario: string): string {
  return (
    scenario
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 80) || "scenario"
  );
}

export function markdownTable(scenarios: ScenarioStats[], metric: string): string {
  const rows = scenarios.map((s) => {
    const ci = s.ci ? `${pct((s.ci[0] - 1) * 100)} … ${pct((s.ci[1] - 1) * 100)}` : "—";
    const runs = `${s.baseSamples.length}/${s.candidateSamples.length}`;
    return `| ${s.scenario.replace(/\|/g, "\\|")} | ${fmt(s.baseMedian)} | ${fmt(s.candidateMedian)} | ${pct(s.regressionPercent)} | ${ci} | ${runs} | ${s.verdict}${s.missingOn ? ` (missing on ${s.missingOn})` : ""} |`;
  });
  return [
    `| scenario | base median ${metric} | candidate median ${metric} | change | 95 % CI of change | runs (base/cand.) | verdict |`,
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/**
 * A strip chart of both sides' samples with their medians. Hand-written: a dozen SVG elements do
 * not justify a charting dependency.
 */
export function scenarioSvg(s: ScenarioStats, metric: string): string {
  const width = 420;
  const height = 220;
  const pad = 40;
  const all = [...s.baseSamples, ...s.candidateSamples];
  const max = Math.max(...all, Number.MIN_VALUE) * 1.1;
  const y = (v: number) => height - pad - ((height - 2 * pad) * v) / max;
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
      `<text x="${x}" y="${height - 15}" text-anchor="middle" font-size="12">${label} (${values.length})</text>`,
    ].join("\n  ");
  };
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
  <rect width="100%" height="100%" fill="white"/>
  <text x="10" y="18" font-size="12">${esc(s.scenario)}</text>
  <text x="10" y="34" font-size="11" fill="#555">${esc(`${metric}: ${s.verdict}, change ${pct(s.regressionPercent)}`)}</text>
  <line x1="${pad}" x2="${pad}" y1="${pad}" y2="${height - pad}" stroke="#999"/>
  <line x1="${pad}" x2="${width - 10}" y1="${height - pad}" y2="${height - pad}" stroke="#999"/>
  <text x="${pad - 4}" y="${y(max / 1.1).toFixed(1)}" text-anchor="end" font-size="10">${fmt(max / 1.1, 3)}</text>
  <text x="${pad - 4}" y="${height - pad}" text-anchor="end" font-size="10">0</text>
  ${column(s.baseSamples, 150, "#1f77b4", "base")}
  ${column(s.candidateSamples, 300, "#ff7f0e", "candidate")}
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
): SummaryFiles {
  mkdirSync(path.join(dir, "charts"), { recursive: true });
  const files: SummaryFiles = {
    json: path.join(dir, "summary.json"),
    md: path.join(dir, "summary.md"),
    charts: [],
  };
  for (const s of scenarios) {
    const file = path.join(dir, "charts", `${slug(s.scenario)}.svg`);
    writeFileSync(file, scenarioSvg(s, metric));
    files.charts.push(file);
  }
  writeFileSync(files.json, `${JSON.stringify({ ...report, scenarios }, null, 2)}\n`);
  const charts = files.charts.map((c) => `![${path.basename(c)}](charts/${path.basename(c)})`).join("\n");
  writeFileSync(
    files.md,
    `# Performance regression guard\n\n${headline}\n\n${markdownTable(scenarios, metric)}\n\n${charts}\n`,
  );
  return files;
}
