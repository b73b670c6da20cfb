// `shipgate status`: where a release stands, read from the ledger without taking the lock.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { mechanicsLines } from "../evidence/mechanics.js";
import { nextStep } from "../evidence/next-step.js";
import { gateEvidence } from "../gates/evidence-state.js";
import { exitCodeForStatuses } from "../gates/verdict.js";
import { action } from "./action.js";
import { globals, loadTarget, outputFor, targetOptions } from "./runtime.js";

export function register(program: Command): void {
  targetOptions(program.command("status"))
    .description(
      "show context, checkpoint, gates, open blockers and the next step (exit 0 all pass, 1 blocked, 3 undecided)",
    )
    .action(
      action(async (command) => {
        const out = outputFor(globals(command));
        const { ledger, paths, project } = await loadTarget(globals(command), command.opts());
        // Never-run gates are pending and passes recorded for another commit or tree are stale: both block.
        const evidence = await gateEvidence(project.config, project.repoRoot, paths, ledger);
        const gates = evidence.map(({ record, ...g }) => ({ ...record, ...g }));
        const required = evidence.filter((g) => g.configured);
        const openBlockers = ledger.blockers.filter((b) => b.state === "open");
        const next = nextStep(ledger, required);

        const exitCode =
          openBlockers.length > 0 ? ExitCode.blocked : exitCodeForStatuses(required.map((g) => g.status));

        const { context: c, checkpoint: k } = ledger;
        const human = [
          `${out.style("bold", c.releaseTarget)} (base ${c.baseTag}, ${c.mode}, agent ${c.agent})`,
          `ledger: ${paths.json}`,
          `phase: ${k.phase}   branch: ${k.branch ?? "(detached)"} @ ${k.sha?.slice(0, 12) ?? "?"}   remote tag: ${k.remoteTag}`,
          ...(k.lastRunId ? [`last run: ${k.lastRunId} ${k.lastRunUrl ?? ""}`] : []),
          "",
          gates.length === 0 ? "gates: none recorded yet" : "gates:",
          ...gates.map((g) => `  ${out.status(g.status).padEnd(out.color ? 20 : 10)} ${g.id}  ${g.summary}`),
          ...mechanicsLines(ledger).map((m) => `${m.step}: ${m.state} — ${m.detail}`),
          ...(openBlockers.length > 0
            ? [
                "",
                `open blockers (${openBlockers.length}):`,
                ...openBlockers.map((b) => `  ${b.id}  ${b.title}`),
              ]
            : []),
          "",
          `next: ${next}`,
        ];
        out.result(
          {
            ok: exitCode === ExitCode.pass,
            exitCode,
            path: paths.json,
            context: c,
            checkpoint: k,
            gates,
            openBlockers,
            mechanics: ledger.mechanics,
            nextStep: next,
          },
          human,
        );
        return exitCode;
      }),
    );
}
