// Prints the outcome of a release-step command the same way for every step: refused with its problems,
// planned (dry run), applied, or verified as already done.
import type { StepReport } from "../pipeline/step-command.js";
import type { Output } from "./output.js";

export function printStep<F, R>(
  out: Output,
  report: StepReport<F, R>,
  facts: Record<string, unknown> = {},
  /** Step-specific lines shown before the outcome (a run's URL, a provenance summary). */
  details: string[] = [],
): void {
  const { actions, problems } = report;
  const problemLines = problems.map(
    (p) => `  ${p.kind} ${p.id}: ${p.detail}${p.fix ? `  → ${p.fix.join(" ")}` : ""}`,
  );
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  const outcome =
    report.result === "refused"
      ? [`refused: ${report.step} (${count})`, ...problemLines]
      : report.result === "failed"
        ? [`failed: ${report.step} (${count})`, ...problemLines]
        : report.result === "verified" || actions.length === 0
          ? [`${report.step}: already done and verified: nothing to do`]
          : report.result === "planned"
            ? [`dry-run: would ${actions.map((a) => a.todo).join(" and ")}; nothing was changed`]
            : [`done: ${actions.map((a) => a.done).join(" and ")}`];
  const human = [...details, ...outcome];
  const { actionIds, ...rest } = report;
  out.result(
    { ok: report.exitCode === 0, ...rest, ...facts, actions: actionIds, actionDetails: actions },
    human,
  );
}
