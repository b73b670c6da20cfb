// The use-case behind `shipgate deliver`: runs the deliver step and turns what the channels serve into
// the exit code (0 every channel live and correct, 1 one missing or wrong after the window, 3 one that
// could not be asked) and the next command (the recovery of a partial publish, or deliver again).
import type { DeliveryEntry } from "../channels/outcome.js";
import type { ProjectOptions } from "../context/project.js";
import { ExitCode } from "../errors.js";
import { loadTarget, type TargetFlags } from "../evidence/target.js";
import { runStepCommand, type StepReport } from "./step-command.js";
import { type DeliverFacts, type DeliverInput, type DeliverRecord, deliverStep } from "./steps/deliver.js";

export type DeliverReport = StepReport<DeliverFacts, DeliverRecord> & {
  /** What each channel checked served, as the ledger's `delivery` section now records it. */
  channels: Record<string, DeliveryEntry>;
};

export async function deliver(
  options: ProjectOptions,
  flags: TargetFlags,
  input: DeliverInput,
  run: { signal?: AbortSignal; progress?: (text: string) => void } = {},
): Promise<DeliverReport> {
  const report = await runStepCommand(options, flags, deliverStep, input, run);
  const { ledger } = await loadTarget(options, flags);
  const checked = report.record ? Object.keys(report.record.statuses) : [];
  const channels = Object.fromEntries(
    checked.flatMap((id) => (ledger.delivery[id] ? [[id, ledger.delivery[id]]] : [])),
  );
  if (report.result !== "applied" || !report.record) return { ...report, channels };

  const target = ledger.context.releaseTarget;
  const statuses = Object.values(report.record.statuses);
  const exitCode = statuses.some((s) => s === "missing" || s === "wrong")
    ? ExitCode.blocked
    : statuses.some((s) => s === "incomplete")
      ? ExitCode.incomplete
      : ExitCode.pass;
  let next = report.next;
  if (report.record.recovery)
    next = {
      command: report.record.recovery,
      reason: `partial publish (blocker ${report.record.blockerId ?? "not filed in a dry run"}): publish only what is missing, with the live channels skipped, or ship a patch release; never re-tag`,
    };
  else if (exitCode !== ExitCode.pass)
    next = {
      command: ["shipgate", "deliver", "--release-target", target],
      reason: "not every channel serves the release: check again once the publish run has finished",
    };
  return { ...report, exitCode, next, channels };
}
