// The use-case behind each release-step command (`shipgate tag`, …): open the target's ledger, run the
// step through the runner, and say what happens next. A refused step exits 1 and changed nothing; a
// failed one (its run failed) exits 1 with what it found recorded.
import type { ProjectOptions } from "../context/project.js";
import { ExitCode } from "../errors.js";
import { withWriter } from "../evidence/ledger.js";
import { type NextStep, nextStep } from "../evidence/next-step.js";
import { loadTarget, type TargetFlags } from "../evidence/target.js";
import { runStep, type StepOutcome } from "./run-step.js";
import type { Step } from "./step.js";

export type StepReport<F, R> = StepOutcome<F, R> & {
  exitCode: number;
  ledger: string;
  /** The ids of the actions (done, or to do in a dry run). */
  actionIds: string[];
  next: NextStep | null;
};

export async function runStepCommand<I, F, R>(
  options: ProjectOptions,
  flags: TargetFlags,
  step: Step<I, F, R>,
  input: I,
  run: { signal?: AbortSignal; progress?: (text: string, key?: string) => void } = {},
): Promise<StepReport<F, R>> {
  const { project, paths, ledger } = await loadTarget(options, flags);
  return withWriter(paths, `shipgate ${step.name} ${ledger.context.releaseTarget}`, async (writer) => {
    writer.config = project.config;
    const outcome = await runStep(step, input, { project, writer, ...run });
    const refused = outcome.result === "refused" || outcome.result === "failed";
    const first = outcome.problems.find((p) => p.fix);
    return {
      ...outcome,
      exitCode: refused ? ExitCode.blocked : ExitCode.pass,
      ledger: paths.json,
      actionIds: outcome.actions.map((a) => a.id),
      next:
        refused && first?.fix
          ? { command: first.fix, reason: `${first.kind} ${first.id}: ${first.detail}` }
          : nextStep(writer.ledger, { config: project.config }),
    };
  });
}
