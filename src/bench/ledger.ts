// What the ledger keeps of a bench run: the verdicts and where the summaries are.
import path from "node:path";
import type { BenchReport } from "./runner.js";

export function benchLedgerEntry(report: BenchReport, repoRoot: string): Record<string, unknown> {
  const rel = (p: string) => path.relative(repoRoot, p);
  return {
    status: report.status,
    summary: report.summary,
    runsPerSide: report.runsPerSide,
    finishedAt: new Date().toISOString(),
    verdicts: report.scenarios.map((s) => ({
      scenario: s.scenario,
      verdict: s.verdict,
      baseMedian: s.baseMedian,
      candidateMedian: s.candidateMedian,
      regressionPercent: s.regressionPercent,
      ci: s.ci,
      ...(s.missingOn ? { missingOn: s.missingOn } : {}),
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
