// `report`: renders the target's ledger as one self-contained HTML file, by default
// <evidenceDir>/<target>/report.html. Reads the ledger only (no lock, no ledger write).
import { mkdirSync } from "node:fs";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import type { ProjectOptions } from "../context/project.js";
import { errorMessage, IncompleteError } from "../errors.js";
import { type NextStep, nextStep } from "../evidence/next-step.js";
import { loadTarget, type TargetFlags } from "../evidence/target.js";
import { renderReport, SECTIONS } from "./render.js";

export interface ReportResult {
  path: string;
  bytes: number;
  /** What the report holds, by section. */
  counts: {
    gates: number;
    blockers: number;
    benchScenarios: number;
    steps: number;
    channels: number;
    events: number;
  };
  sections: string[];
  next: NextStep | null;
}

export async function writeReport(
  options: ProjectOptions,
  flags: TargetFlags,
  out: { html?: string | undefined },
): Promise<ReportResult> {
  const { project, paths, ledger } = await loadTarget(options, flags);
  const file = out.html ? path.resolve(project.cwd, out.html) : path.join(paths.dir, "report.html");
  const html = renderReport(ledger, {
    generatedAt: new Date().toISOString(),
    thresholdPercent: project.config.bench?.thresholdPercent,
  });
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic.sync(file, html, { fsync: false });
  } catch (err) {
    throw new IncompleteError(
      `could not write the report to ${file}: ${errorMessage(err)}`,
      "choose another place with --html <file>",
    );
  }
  const bench = ledger.bench?.verdicts;
  return {
    path: file,
    bytes: Buffer.byteLength(html),
    counts: {
      gates: Object.keys(ledger.gates).length,
      blockers: ledger.blockers.length,
      benchScenarios: Array.isArray(bench) ? bench.length : 0,
      steps: Object.values(ledger.mechanics).filter((r) => r !== undefined).length,
      channels: Object.keys(ledger.delivery).length,
      events: ledger.events.length,
    },
    sections: SECTIONS.map(([id]) => id),
    next: nextStep(ledger),
  };
}
