// `shipgate publish`: dispatch the publish workflow for the release's build run — a rehearsal
// (`--rehearsal`, allowed in a dry run) or the live publish — find the run it started, wait, require
// success. A successful live publish is never dispatched again.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { durationFlag, listFlag, runIdFlag } from "./flags.js";
import { interruptible } from "./interrupt.js";
import { liveLines } from "./live-lines.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";
import { printStep } from "./steps.js";

interface PublishFlags {
  buildRunId?: string;
  rehearsal?: boolean;
  skip?: string;
  allowPartialRelease?: boolean;
  credentialsRotated?: boolean;
  wait?: string;
}

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("publish"))
    .description(
      "dispatch the publish workflow for the release's build run and require success (exit 0 done, 1 refused or the run failed: a blocker is filed, 2 bad flags, 3 cannot tell)",
    )
    .option(
      "--build-run-id <id>",
      "publish this successful build run (a publish-only rerun); default: the build step's",
    )
    .option(
      "--rehearsal",
      "dispatch a rehearsal (rehearsal=true): checks everything, publishes nothing; allowed in a dry run",
    )
    .option(
      "--skip <channels>",
      "channels not to publish, e.g. npm,pypi,crates-io (needs --allow-partial-release)",
    )
    .option("--allow-partial-release", "finish the release even though some channels are skipped or fail")
    .option(
      "--credentials-rotated",
      "registry credentials changed: a live publish needs a successful rehearsal first",
    )
    .option("--wait <duration>", "how long to wait for the run (default github.publishTimeout: 45m)")
    .action(
      action(inv, async (command, out) => {
        const flags = command.opts<PublishFlags>();
        const skip = listFlag(flags.skip, "--skip", "npm,pypi") ?? [];
        const allowPartialRelease = flags.allowPartialRelease === true;
        if (skip.length > 0 && !allowPartialRelease)
          throw new UsageError(
            `skipping ${skip.join(", ")} publishes a partial release`,
            "add --allow-partial-release to mean it",
          );
        const input = {
          buildRunId: runIdFlag(flags.buildRunId, "--build-run-id"),
          skip,
          allowPartialRelease,
          credentialsRotated: flags.credentialsRotated === true,
          waitMs: await durationFlag(flags.wait, "--wait"),
        };
        const { runStepCommand } = await import("../pipeline/step-command.js");
        const steps = await import("../pipeline/steps/index.js");
        const step = flags.rehearsal ? steps.findStep("rehearsal") : steps.findStep("publish");
        if (!step) throw new Error("the publish steps are not registered");
        const lines = liveLines(out);
        const interrupt = interruptible("stopped waiting for the publish run", inv.io);
        try {
          const report = await runStepCommand(projectOptions(command), targetFlags(command), step, input, {
            signal: interrupt.signal,
            progress: lines.progress,
          });
          lines.done();
          const r = report.record as
            | {
                runId?: string;
                runUrl?: string;
                conclusion?: string | null;
                policy?: { reason: string };
                homebrew?: { detail: string };
              }
            | undefined;
          printStep(out, report, { ...(report.facts ?? {}), ...(r ?? {}) }, [
            ...(r?.runId ? [`run ${r.runId}: ${r.conclusion ?? "?"} ${r.runUrl ?? ""}`.trim()] : []),
            ...(r?.policy ? [`rehearsal policy: ${r.policy.reason}`] : []),
            ...(r?.homebrew ? [`homebrew tap: ${r.homebrew.detail}`] : []),
          ]);
          return report.exitCode;
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
