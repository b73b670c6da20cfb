// `shipgate publish-preflight`: read-only checks that publishing can succeed (secrets, pushed commit,
// base tag, CI for the release commit, active release workflows), each miss with its remediation.
import type { Command } from "commander";
import { action, type Invocation } from "./action.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";
import { printStep } from "./steps.js";

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("publish-preflight"))
    .description(
      "check that publishing can succeed: required Actions secrets, release commit pushed, base tag on the remote, CI green for the release commit, release workflows active (exit 0 ok, 1 a miss, 3 cannot tell)",
    )
    .action(
      action(inv, async (command, out) => {
        const { runStepCommand } = await import("../pipeline/step-command.js");
        const { preflightStep } = await import("../pipeline/steps/preflight.js");
        const report = await runStepCommand(projectOptions(command), targetFlags(command), preflightStep, {});
        const checks = report.record?.checks ?? [];
        printStep(
          out,
          report,
          { ...(report.facts ?? {}), ...(report.record ?? {}) },
          checks.map((c) => `${out.status(c.status)} ${c.id}: ${c.detail}`),
        );
        return report.exitCode;
      }),
    );
}
