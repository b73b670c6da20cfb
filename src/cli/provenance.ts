// `shipgate provenance`: is a build run this release's, and publishable? Without a ledger it checks the
// run named by --run-id (against --expect-tag when given); with --release-target it is the release step
// and records the result.
import type { Command } from "commander";
import { ExitCode, UsageError } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { runIdFlag } from "./flags.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";
import { printStep } from "./steps.js";

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("provenance"))
    .description(
      "verify a build run's provenance: the build workflow's, concluded success, metadata.json naming the tag, version and the tag's commit (exit 0 ok, 1 violated, 3 cannot be read)",
    )
    .option(
      "--run-id <id>",
      "the build run to check (with --release-target: default the one `shipgate build` recorded)",
    )
    .option(
      "--expect-tag <tag>",
      "the tag the run must have built (without a ledger); with --release-target it is the target",
    )
    .action(
      action(inv, async (command, out) => {
        const opts = command.opts<{ runId?: string; expectTag?: string; releaseTarget?: string }>();
        const runId = runIdFlag(opts.runId, "--run-id");
        const { provenanceLines } = await import("../github/provenance.js");
        if (opts.releaseTarget === undefined) {
          if (runId === undefined)
            throw new UsageError(
              "provenance needs --run-id <id> (or --release-target <tag> to check the recorded build run)",
              "e.g. shipgate provenance --run-id 123456789 --expect-tag v1.2.3",
            );
          const { checkProvenance } = await import("../pipeline/provenance-command.js");
          const result = await checkProvenance(projectOptions(command), { runId, expectTag: opts.expectTag });
          out.result({ ok: result.exitCode === ExitCode.pass, ...result }, [
            ...provenanceLines(result.report),
            ...(result.report.problems.length
              ? [
                  `violated (${result.report.problems.length}):`,
                  ...result.report.problems.map((p) => `  ${p.id}: ${p.message}`),
                ]
              : ["provenance verified"]),
          ]);
          return result.exitCode;
        }
        if (opts.expectTag !== undefined && opts.expectTag !== opts.releaseTarget)
          throw new UsageError(
            `--expect-tag ${opts.expectTag} contradicts --release-target ${opts.releaseTarget}`,
          );
        const { runStepCommand } = await import("../pipeline/step-command.js");
        const { provenanceStep } = await import("../pipeline/steps/provenance.js");
        const report = await runStepCommand(projectOptions(command), targetFlags(command), provenanceStep, {
          runId,
        });
        const r = report.record;
        printStep(
          out,
          report,
          { ...(report.facts ?? {}), ...(r ?? {}) },
          r?.checkedAt
            ? [
                `run ${r.runId}: ${r.workflow ?? "?"}, ${r.conclusion ?? "?"}, event ${r.event ?? "?"} ${r.runUrl ?? ""}`.trim(),
                ...(r.metadata
                  ? [
                      `  metadata: tag ${r.metadata.tag}, version ${r.metadata.version}, source_sha ${r.metadata.source_sha}`,
                    ]
                  : []),
              ]
            : [],
        );
        return report.exitCode;
      }),
    );
}
