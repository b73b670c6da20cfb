// `gates`: runs the applicable QA gates of a target under its ledger's lock, filing a blocker for each
// blocking gate (a dry run never files remotely), and says what to do next.
import type { Project, ProjectOptions } from "../context/project.js";
import { ExitCode } from "../errors.js";
import { type LedgerWriter, withWriter } from "../evidence/ledger.js";
import { type NextStep, nextStep } from "../evidence/next-step.js";
import { loadTarget, type TargetFlags } from "../evidence/target.js";
import { gateBlockerHooks } from "../trackers/blockers.js";
import { type GateReporter, type GateResult, runGates } from "./engine.js";
import type { GateConfig } from "./kinds/index.js";
import { selectGates } from "./select.js";
import { exitCodeForStatuses } from "./verdict.js";

export interface GatesRequest {
  only?: string[] | undefined;
  jobs: number;
  rerun: boolean;
  fileBlockers: boolean;
  signal: AbortSignal;
  /** Progress for the selected gates (a live list on a TTY, lines otherwise); closed when the run ends. */
  reporter(gates: GateConfig[]): Promise<GateReporter & { close?(): Promise<void> }>;
}

export interface GatesReport {
  exitCode: number;
  releaseTarget: string;
  ledger: string;
  counts: Record<string, number>;
  gates: (GateResult & { details?: unknown })[];
  next: NextStep | null;
}

export async function runGatesFor(
  options: ProjectOptions,
  flags: TargetFlags,
  request: GatesRequest,
): Promise<GatesReport> {
  const { project, paths, ledger } = await loadTarget(options, flags);
  const release = ledger.context;
  const gates = selectGates(project.config.gates, request.only);
  if (gates.length === 0) {
    return {
      exitCode: ExitCode.incomplete,
      releaseTarget: release.releaseTarget,
      ledger: paths.json,
      counts: {},
      gates: [],
      next: {
        command: ["shipgate", "config", "check"],
        reason: `no gates are configured: add gates to ${project.configFile}, then check it`,
      },
    };
  }
  return withWriter(paths, `shipgate gates ${release.releaseTarget}`, async (writer) =>
    runGatesWith(project, writer, gates, request),
  );
}

/** The gates run under a writer the caller already holds (`gates`, and `run`'s gates phase). */
export async function runGatesWith(
  project: Project,
  writer: LedgerWriter,
  gates: GateConfig[],
  request: GatesRequest,
): Promise<GatesReport> {
  const release = writer.ledger.context;
  const paths = writer.paths;
  writer.config = project.config;
  const reporter = await request.reporter(gates);
  const results = await runGates({
    config: project.config,
    repoRoot: project.repoRoot,
    paths,
    writer,
    release,
    gates,
    jobs: request.jobs,
    rerun: request.rerun,
    signal: request.signal,
    reporter,
    ...(request.fileBlockers ? { blockers: gateBlockerHooks(project.config, project.repoRoot, writer) } : {}),
  });
  await reporter.close?.();
  const exitCode = request.signal.aborted
    ? ExitCode.incomplete
    : exitCodeForStatuses(results.map((r) => r.status));
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  const details = (id: string) => writer.ledger.gates[id]?.details;
  return {
    exitCode,
    releaseTarget: release.releaseTarget,
    ledger: paths.json,
    counts,
    gates: results.map((r) => ({
      ...r,
      ...(details(r.id) === undefined ? {} : { details: details(r.id) }),
    })),
    next: nextStep(writer.ledger, { config: project.config }),
  };
}
