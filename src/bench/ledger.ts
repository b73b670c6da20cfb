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
