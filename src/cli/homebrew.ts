// `shipgate homebrew verify|update`: check the tap's formula against a release's sha256sums.txt (no
// ledger needed), or align it with the build as the release step "homebrew".
import path from "node:path";
import type { Command } from "commander";
import { action, type Invocation } from "./action.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";
import { printStep } from "./steps.js";

export function register(program: Command, inv: Invocation): void {
  const homebrew = program
    .command("homebrew")
    .description("verify the Homebrew tap's formula against a release, or update it from the build");

  homebrew
    .command("verify")
    .description(
      "check the formula's version, urls and sha256 values against sha256sums.txt (exit 0 match, 1 mismatch, 2 unreadable input, 3 cannot ask GitHub)",
    )
    .option("--release-target <tag>", "release target, e.g. v1.2.3")
    .option("--sha256sums <file>", "the build's sha256sums.txt (default: the GitHub release's)")
    .option(
      "--formula-file <file>",
      "a formula file (default: homebrew.formulaPath in homebrew.tapRepo, through the GitHub API)",
    )
    .action(
      action(inv, async (command, out) => {
        const flags = command.opts<{ releaseTarget?: string; sha256sums?: string; formulaFile?: string }>();
        const { verifyHomebrew } = await import("../homebrew/verify-command.js");
        const report = await verifyHomebrew(projectOptions(command), flags);
        const ok = report.problems.length === 0;
        out.result({ ok, ...report }, [
          ok
            ? `${report.formula} matches ${report.tag} (${report.platforms.join(", ")})`
            : `${report.formula} does not match ${report.tag}: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}`,
          ...report.problems.map((p) => `  ${p.message}`),
        ]);
        return report.exitCode;
      }),
    );

  targetOptions(homebrew.command("update"))
    .description(
      "rewrite the tap formula's version, urls and sha256 values from the build, in place; commit in live mode (exit 1 refused or mismatch, 2 unreadable input, 3 cannot ask)",
    )
    .option("--tap-path <dir>", "the tap checkout (default: homebrew.tapPath)")
    .option("--sha256sums <file>", "the build's sha256sums.txt")
    .option(
      "--build-run-id <id>",
      "read the sums from this build run's artifacts (default: the run `shipgate build` recorded)",
    )
    .option("--push", "push the tap commit (live mode only; default homebrew.push)")
    .option("--remote <name>", "the tap's remote to push to", "origin")
    .action(
      action(inv, async (command, out) => {
        const o = command.opts<{
          tapPath?: string;
          sha256sums?: string;
          buildRunId?: string;
          push?: boolean;
          remote: string;
        }>();
        const { runStepCommand } = await import("../pipeline/step-command.js");
        const { homebrewStep } = await import("../pipeline/steps/homebrew.js");
        const cwd = projectOptions(command).cwd ?? process.cwd();
        const report = await runStepCommand(
          projectOptions(command),
          targetFlags(command),
          homebrewStep,
          {
            tapPath: o.tapPath ? path.resolve(cwd, o.tapPath) : undefined,
            sha256sums: o.sha256sums ? path.resolve(cwd, o.sha256sums) : undefined,
            buildRunId: o.buildRunId,
            push: o.push,
            remote: o.remote,
          },
          { progress: (t) => out.progress(t) },
        );
        printStep(out, report, { ...(report.facts ?? {}), ...(report.record ?? {}) });
        return report.exitCode;
      }),
    );
}
