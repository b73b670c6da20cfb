// The check every live mechanics step (tag, later publish) makes before it touches anything: the target's
// blocker epic has no open task, and every configured gate passed or was skipped for this exact commit,
// tree and gate definition. Anything else refuses the step.
import type { ShipgateConfig } from "../config/schema.js";
import type { ReleaseContext } from "../context/inputs.js";
import { allInOrder, IncompleteError } from "../errors.js";
import type { LedgerPaths } from "../evidence/paths.js";
import type { Ledger } from "../evidence/schema.js";
import { gateEvidence } from "../gates/evidence-state.js";
import { epicTasks } from "../trackers/blockers.js";
import type { Tracker } from "../trackers/types.js";
import type { StepProblem } from "./step.js";

export type GuardProblem = StepProblem & { kind: "blocker" | "gate" };

export interface GuardOptions {
  config: ShipgateConfig;
  repoRoot: string;
  paths: LedgerPaths;
  ledger: Ledger;
  tracker?: Tracker | undefined;
}

/**
 * Every reason the release may not move, blockers first. Throws IncompleteError when it cannot tell
 * (tracker unreachable, no gates configured): not knowing is never a pass.
 */
export async function releaseProblems(options: GuardOptions): Promise<GuardProblem[]> {
  const { config, repoRoot, paths, ledger } = options;
  const release: ReleaseContext = ledger.context;
  if (config.gates.length === 0) {
    throw new IncompleteError(
      "no gates are configured, so nothing was decided: a release is never moved on no evidence",
      "add gates to shipgate.yaml and run shipgate gates",
    );
  }
  // The tracker and git are asked at once; the blockers' problems come first.
  const [blockers, evidence] = await allInOrder([
    blockerProblems(options),
    gateEvidence(config, repoRoot, paths, ledger),
  ]);
  const problems: GuardProblem[] = [...blockers];
  const target = ["--release-target", release.releaseTarget];

  for (const gate of evidence) {
    if (!gate.configured || gate.status === "pass" || gate.status === "skipped") continue;
    const detail = gate.status === "pending" ? "pending: never run" : `${gate.status}: ${gate.summary}`;
    // Not decided for this commit (never run, or a pass for another one): run the gates (the cache keeps
    // what still holds). Decided and blocking: its own fix comes first, then rerun that gate.
    const undecided = gate.status === "pending" || gate.status === "stale";
    problems.push({
      kind: "gate",
      id: gate.id,
      detail,
      fix: undecided ? ["shipgate", "gates", ...target] : ["shipgate", "gates", ...target, "--only", gate.id],
    });
  }
  return problems;
}

/**
 * The open blockers as the tracker reports them, with what the ledger alone cannot see: a task the
 * ledger records as resolved or closed that the tracker still has open blocks; one the ledger holds open
 * that the tracker cannot vouch for (log moved or deleted, tracker kind switched) blocks too. The
 * tracker decides every task it lists. Throws IncompleteError when the tracker cannot be asked.
 */
export async function blockerProblems(
  options: Pick<GuardOptions, "config" | "repoRoot" | "ledger" | "tracker">,
): Promise<GuardProblem[]> {
  const { config, repoRoot, ledger } = options;
  const release: ReleaseContext = ledger.context;
  const target = ["--release-target", release.releaseTarget];
  const problems: GuardProblem[] = [];
  const { tasks, tracker } = await epicTasks(config, repoRoot, release, options.tracker);
  for (const task of tasks.filter((t) => t.open)) {
    const recorded = ledger.blockers.find((b) => b.id === task.id && b.tracker === tracker.kind);
    const note =
      recorded && recorded.state !== "open"
        ? ` (the ledger records it ${recorded.state}; the ${tracker.kind} tracker still has it open)`
        : "";
    problems.push({
      kind: "blocker",
      id: task.id,
      detail: `open blocker${task.state === "open" ? "" : ` (${task.state})`}: ${task.title}${note}`,
      fix: ["shipgate", "blockers", "close", task.id, ...target],
    });
  }
  const listed = new Set(tasks.map((t) => t.id));
  for (const b of ledger.blockers) {
    if (b.state !== "open" || (b.tracker === tracker.kind && listed.has(b.id))) continue;
    problems.push({
      kind: "blocker",
      id: b.id,
      detail: `open in the ledger, unknown to the ${tracker.kind} tracker: ${b.title} (restore the tracker's log or configuration it was filed in, then close it there)`,
      fix: ["shipgate", "blockers", "list", ...target],
    });
  }
  return problems;
}
