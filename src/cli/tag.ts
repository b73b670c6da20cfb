// `shipgate tag`: the release step that tags HEAD and pushes the tag (exit 1 when refused).
import type { Command } from "commander";
import { action, type Invocation } from "./action.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";
import { printStep } from "./steps.js";

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("tag"))
    .description(
      "create the annotated release tag at HEAD and push it (exit 0 done, 1 refused: open blockers or gates not passed)",
    )
    .option("--remote <name>", "git remote to push the tag to", "origin")
    .action(
      action(inv, async (command, out) => {
        const { remote } = command.opts<{ remote: string }>();
        const { runStepCommand } = await import("../pipeline/step-command.js");
        const { tagStep } = await import("../pipeline/steps/tag.js");
        const report = await runStepCommand(projectOptions(command), targetFlags(command), tagStep, {
          remote,
        });
        printStep(out, report, { ...(report.record ?? {}), ...(report.facts ?? {}) });
        return report.exitCode;
      }),
    );
}
