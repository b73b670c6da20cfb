// `status`: where a release stands, read from the ledger without taking the lock. Gate evidence is judged
// as the release guard judges it (never-run gates are pending, passes for another commit are stale).
import type { ProjectOptions } from "../context/project.js";
import { ExitCode, errorMessage, IncompleteError } from "../errors.js";
import { type MechanicsLine, mechanicsLines } from "../evidence/mechanics.js";
import { type NextStep, nextStep, type OpenBlocker } from "../evidence/next-step.js";
import type { Ledger } from "../evidence/schema.js";
import { loadTarget, type TargetFlags } from "../evidence/target.js";
import { type GateEvidence, gateEvidence } from "../gates/evidence-state.js";
import { exitCodeForStatuses } from "../gates/verdict.js";
import { blockerProblems } from "./release-guard.js";

export interface StatusReport {
  exitCode: number;
  path: string;
  context: Ledger["context"];
  checkpoint: Ledger["checkpoint"];
  gates: (Omit<GateEvidence, "record"> & Record<string, unknown>)[];
  /** Open blockers as the tracker reports them (plus any the ledger holds that it cannot vouch for). */
  openBlockers: OpenBlocker[];
  /** Set when the tracker could not be asked: then nothing about blockers was decided. */
  trackerError?: string;
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
  // The tracker decides what is open (the ledger may say resolved while the tracker still has it open);
  // a tracker that cannot be asked leaves the blockers undecided, never "none".
  let openBlockers: OpenBlocker[] = [];
  let trackerError: string | undefined;
  try {
    openBlockers = await blockerProblems({ config: project.config, repoRoot: project.repoRoot, ledger });
  } catch (err) {
    if (!(err instanceof IncompleteError)) throw err;
    trackerError = errorMessage(err);
  }
  const gateCode = exitCodeForStatuses(required.map((g) => g.status));
  const exitCode =
    openBlockers.length > 0 || gateCode === ExitCode.blocked
      ? ExitCode.blocked
      : trackerError
        ? ExitCode.incomplete
        : gateCode;
  const target = ["--release-target", ledger.context.releaseTarget];
  return {
    exitCode,
    path: paths.json,
    context: ledger.context,
    checkpoint: ledger.checkpoint,
    gates,
    openBlockers,
    ...(trackerError ? { trackerError } : {}),
    mechanics: ledger.mechanics,
    delivery: ledger.delivery,
    steps: mechanicsLines(ledger),
    next:
      trackerError && openBlockers.length === 0 && gateCode !== ExitCode.blocked
        ? {
            command: ["shipgate", "blockers", "list", ...target],
            reason: `the ${project.config.tracker.kind} tracker could not be asked (${trackerError}); fix that, then check the blockers`,
          }
        : nextStep(ledger, { gates: required, blockers: openBlockers, config: project.config }),
  };
}
