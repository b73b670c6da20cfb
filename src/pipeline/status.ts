// `status`: where a release stands, read from the ledger without taking the lock. Gate evidence is judged
// as the release guard judges it (never-run gates are pending, passes for another commit are stale).
import type { ProjectOptions } from "../context/project.js";
import { ExitCode } from "../errors.js";
import { type MechanicsLine, mechanicsLines } from "../evidence/mechanics.js";
import { type NextStep, nextStep } from "../evidence/next-step.js";
import type { BlockerRecord, Ledger } from "../evidence/schema.js";
import { loadTarget, type TargetFlags } from "../evidence/target.js";
import { type GateEvidence, gateEvidence } from "../gates/evidence-state.js";
import { exitCodeForStatuses } from "../gates/verdict.js";

export interface StatusReport {
  exitCode: number;
  path: string;
  context: Ledger["context"];
  checkpoint: Ledger["checkpoint"];
  gates: (Omit<GateEvidence, "record"> & Record<string, unknown>)[];
  openBlockers: BlockerRecord[];
  mechanics: Ledger["mechanics"];
  /** What each channel served when `deliver` last asked, by channel id. */
  delivery: Ledger["delivery"];
  steps: MechanicsLine[];
  next: NextStep | null;
}

export async function releaseStatus(options: ProjectOptions, flags: TargetFlags): Promise<StatusReport> {
  const { ledger, paths, project } = await loadTarget(options, flags);
  const evidence = await gateEvidence(project.config, project.repoRoot, paths, ledger);
  const gates = evidence.map(({ record, ...g }) => ({ ...record, ...g }));
  const required = evidence.filter((g) => g.configured);
  const openBlockers = ledger.blockers.filter((b) => b.state === "open");
  const exitCode =
    openBlockers.length > 0 ? ExitCode.blocked : exitCodeForStatuses(required.map((g) => g.status));
  return {
    exitCode,
    path: paths.json,
    context: ledger.context,
    checkpoint: ledger.checkpoint,
    gates,
    openBlockers,
    mechanics: ledger.mechanics,
    delivery: ledger.delivery,
    steps: mechanicsLines(ledger),
    next: nextStep(ledger, required, project.config),
  };
}
