// `shipgate build`: wait for the build workflow's run of the release tag and require success (exit 1 and
// one blocker when it failed, was cancelled or timed out; exit 3 when no run appeared).
import type { Command } from "commander";
import { action, type Invocation } from "./action.js";
import { durationFlag } from "./flags.js";
import { interruptible } from "./interrupt.js";
import { liveLines } from "./live-lines.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";
import { printStep } from "./steps.js";

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("build"))
    .description(
      "wait for the build workflow's run of the release tag and require success (exit 0 success, 1 failed/cancelled/timed out: a blocker is filed, 3 no run appeared or GitHub unreachable)",
    )
    .option(
      "--wait <duration>",
      "how long to wait for the run to appear and finish (default github.buildTimeout: 45m)",
    )
    .action(
      action(inv, async (command, out) => {
        const waitMs = await durationFlag(command.opts<{ wait?: string }>().wait, "--wait");
        const { runStepCommand } = await import("../pipeline/step-command.js");
        const { buildStep } = await import("../pipeline/steps/build.js");
        const lines = liveLines(out);
        const interrupt = interruptible("stopped waiting for the build run", inv.io);
        try {
          const report = await runStepCommand(
            projectOptions(command),
            targetFlags(command),
            buildStep,
            { waitMs },
            { signal: interrupt.signal, progress: lines.progress },
          );
          lines.done();
          const r = report.record;
          printStep(
            out,
            report,
            { ...(report.facts ?? {}), ...(r ?? {}) },
            r?.runId
              ? [`${r.workflow} run ${r.runId}: ${r.conclusion ?? r.status ?? "?"} ${r.runUrl ?? ""}`.trim()]
              : r?.note
                ? [r.note]
                : [],
          );
          return report.exitCode;
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
