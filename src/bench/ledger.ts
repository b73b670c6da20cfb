// What the ledger keeps of a bench run: the verdicts, what decided them (rule, statistic, interval,
// run plan), every scenario's estimate and interval, and where the summaries are.
import path from "node:path";
import type { BenchReport } from "./runner.js";

/** An interval end as JSON: a number, or null where the interval is unbounded. */
const end = (r: number) => (Number.isFinite(r) ? r : null);

export function benchLedgerEntry(report: BenchReport, repoRoot: string): Record<string, unknown> {
  const rel = (p: string) => path.relative(repoRoot, p);
  return {
    status: report.status,
    summary: report.summary,
    runsPerSide: report.runsPerSide,
    finishedAt: new Date().toISOString(),
    decidedBy: report.method,
    verdicts: report.scenarios.map((s) => ({
      scenario: s.scenario,
      verdict: s.verdict,
      baseMedian: s.baseMedian,
      candidateMedian: s.candidateMedian,
      ...(s.statistic ? { statistic: s.statistic } : {}),
      /** The statistic's estimate of candidate/base, > 1 = slower. */
      slowdown: s.slowdown,
      regressionPercent: s.regressionPercent,
      ci: s.ci ? [end(s.ci[0]), end(s.ci[1])] : null,
      ...(s.missingOn ? { missingOn: s.missingOn } : {}),
      ...(s.note ? { note: s.note } : {}),
    })),
    ...(report.files
      ? {
          summaryJson: rel(report.files.json),
          summaryMd: rel(report.files.md),
          charts: report.files.charts.map(rel),
        }
      : {}),
    rawDir: rel(report.rawDir),
  };
}

/** The one place the ledger's `bench` section is written, by the `bench` command and the `bench` gate. */
export function saveBench(
  writer: {
    update(type: string, data: Record<string, unknown>, mutate: (l: { bench: unknown }) => void): unknown;
  },
  entry: Record<string, unknown>,
  source: string,
): void {
  writer.update("bench-recorded", { source, status: entry.status }, (ledger) => {
    ledger.bench = entry;
  });
}
