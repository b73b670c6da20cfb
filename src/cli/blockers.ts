// `shipgate blockers list|file|close`: the release's blockers in the configured tracker.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import type { FileFlags } from "../trackers/blocker-commands.js";
import { action, type Invocation } from "./action.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";

const useCases = () => import("../trackers/blocker-commands.js");

export function register(program: Command, inv: Invocation): void {
  const blockers = program
    .command("blockers")
    .description("list, file and close release blockers in the configured tracker");

  targetOptions(blockers.command("list"))
    .description("the target's blockers, open and closed (exit 1 when any is open)")
    .action(
      action(inv, async (command, out) => {
        const list = await (await useCases()).listBlockers(projectOptions(command), targetFlags(command));
        out.result(
          { ok: list.exitCode === ExitCode.pass, ...list },
          list.epic
            ? [
                `${list.epicTitle} (${list.tracker} ${list.epic.id}): ${list.open} open of ${list.tasks.length}`,
                ...list.tasks.map((t) => `  ${out.status(t.open ? "open" : "closed")} ${t.id} ${t.title}`),
              ]
            : `no blockers filed (${list.tracker} tracker)`,
        );
        return list.exitCode;
      }),
    );

  targetOptions(blockers.command("file"))
    .description("file a blocker (or find the open one already filed) under the target's epic")
    .option("--check <id>", "the check that blocked, e.g. a gate id")
    .option("--title <text>", "short title of the blocker")
    .option("--summary <text>", "what failed and why")
    .option("--run-id <id>", "GitHub Actions run id: its URL and failed jobs are added")
    .option("--run-url <url>", "URL of the failing run")
    .option("--failing-command <cmd>", "the command that failed")
    .option("--log-snippet-file <file>", "a log whose first lines are added (redacted)")
    .option("--dry-run", "print what would be filed; write nothing anywhere")
    .action(
      action(inv, async (command, out) => {
        const filed = await (await useCases()).fileBlockerByHand(
          projectOptions(command),
          targetFlags(command),
          command.opts<FileFlags>(),
        );
        const verb = filed.dryRun ? "would file" : filed.created ? "filed" : "already open";
        out.result(
          { ok: true, exitCode: ExitCode.pass, ...filed },
          filed.dryRun
            ? [
                `would file under "${filed.epicTitle}"${filed.wouldFile ? " (dry-run release: nothing is written to the remote tracker; the ledger records it)" : ""}:`,
                `  ${filed.title}`,
                "",
                filed.body,
              ]
            : `${verb}: ${filed.id} ${filed.title} (epic ${filed.epicId})${filed.url ? ` ${filed.url}` : ""}`,
        );
        return ExitCode.pass;
      }),
    );

  blockers
    .command("close")
    .argument("<id>", "the blocker's id in the tracker")
    .option("--release-target <tag>", "also mark it closed in this target's ledger")
    .description("close a blocker in the tracker")
    .action(
      action(inv, async (command, out, id: string) => {
        const { releaseTarget } = command.opts<{ releaseTarget?: string }>();
        const closed = await (await useCases()).closeBlocker(projectOptions(command), id, releaseTarget);
        out.result(
          { ok: true, exitCode: ExitCode.pass, ...closed },
          closed.wouldClose
            ? `dry-run release: ${id} is not closed in the ${closed.tracker} tracker (nothing remote is written)`
            : `closed ${id} (${closed.tracker})`,
        );
        return ExitCode.pass;
      }),
    );
}
