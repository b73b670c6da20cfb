// `shipgate status`: where a release stands (exit 0 all pass, 1 blocked, 3 undecided).
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("status"))
    .description(
      "show context, checkpoint, gates, open blockers and the next step (exit 0 all pass, 1 blocked, 3 undecided)",
    )
    .action(
      action(inv, async (command, out) => {
        const { releaseStatus } = await import("../pipeline/status.js");
        const s = await releaseStatus(projectOptions(command), targetFlags(command));
        const { context: c, checkpoint: k } = s;
        out.result({ ok: s.exitCode === ExitCode.pass, ...s }, [
          `${out.style("bold", c.releaseTarget)} (base ${c.baseTag}, ${c.mode}, agent ${c.agent})`,
          `ledger: ${s.path}`,
          `phase: ${k.phase}   branch: ${k.branch ?? "(detached)"} @ ${k.sha?.slice(0, 12) ?? "?"}   remote tag: ${k.remoteTag}`,
          ...(k.lastRunId ? [`last run: ${k.lastRunId} ${k.lastRunUrl ?? ""}`] : []),
          "",
          s.gates.length === 0 ? "gates: none recorded yet" : "gates:",
          ...s.gates.map(
            (g) => `  ${out.status(g.status).padEnd(out.color ? 20 : 10)} ${g.id}  ${g.summary}`,
          ),
          ...s.steps.map((m) => `${m.step}: ${m.state} — ${m.detail}`),
          ...(s.openBlockers.length > 0
            ? [
                "",
                `open blockers (${s.openBlockers.length}):`,
                ...s.openBlockers.map((b) => `  ${b.id}  ${b.detail}`),
              ]
            : []),
          "",
        ]);
        return s.exitCode;
      }),
    );
}
