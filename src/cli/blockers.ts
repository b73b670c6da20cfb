// `shipgate blockers list|file|close`: the release's blockers in the configured tracker.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { ExitCode, UsageError } from "../errors.js";
import { LedgerWriter, nowIso } from "../evidence/ledger.js";
import { type BlockerRequest, enrichFromRun, epicTasks, fileBlocker } from "../trackers/blockers.js";
import { createTracker } from "../trackers/index.js";
import { action } from "./action.js";
import { globals, loadProject, loadTarget, outputFor, targetOptions } from "./runtime.js";

// Concurrent `blockers file` runs for one target queue for the ledger lock instead of failing.
const LEDGER_WAIT_MS = 30_000;

interface FileFlags {
  check?: string;
  title?: string;
  summary?: string;
  runId?: string;
  runUrl?: string;
  failingCommand?: string;
  logSnippetFile?: string;
  dryRun?: boolean;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`missing required ${flag}`);
  return value;
}

export function register(program: Command): void {
  const blockers = program
    .command("blockers")
    .description("list, file and close release blockers in the configured tracker");

  targetOptions(blockers.command("list"))
    .description("the target's blockers, open and closed (exit 1 when any is open)")
    .action(
      action(async (command) => {
        const out = outputFor(globals(command));
        const { project, ledger } = await loadTarget(globals(command), command.opts());
        const { epic, epicTitle, tasks, tracker } = await epicTasks(
          project.config,
          project.repoRoot,
          ledger.context,
        );
        const open = tasks.filter((t) => t.open);
        const exitCode = open.length > 0 ? ExitCode.blocked : ExitCode.pass;
        out.result(
          {
            ok: exitCode === ExitCode.pass,
            exitCode,
            tracker: tracker.kind,
            epic,
            epicTitle,
            open: open.length,
            tasks,
          },
          epic
            ? [
                `${epicTitle} (${tracker.kind} ${epic.id}): ${open.length} open of ${tasks.length}`,
                ...tasks.map((t) => `  ${out.status(t.open ? "open" : "closed")} ${t.id} ${t.title}`),
              ]
            : `no blockers filed for ${ledger.context.releaseTarget} (${tracker.kind} tracker)`,
        );
        return exitCode;
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
      action(async (command) => {
        const flags = command.opts<FileFlags>();
        const global = globals(command);
        const out = outputFor(global);
        const request: BlockerRequest = {
          check: required(flags.check, "--check"),
          title: required(flags.title, "--title"),
          summary: required(flags.summary, "--summary"),
          ...(flags.runUrl ? { runUrl: flags.runUrl } : {}),
          ...(flags.failingCommand ? { failingCommand: flags.failingCommand } : {}),
        };
        if (flags.runId !== undefined) {
          if (!/^\d+$/.test(flags.runId))
            throw new UsageError(`--run-id "${flags.runId}" is not a run number`);
          request.runId = flags.runId;
        }
        const { project, paths, ledger } = await loadTarget(global, command.opts());
        if (flags.logSnippetFile) {
          try {
            request.logSnippet = readFileSync(path.resolve(project.cwd, flags.logSnippetFile), "utf8");
          } catch (err) {
            throw new UsageError(
              `cannot read --log-snippet-file ${flags.logSnippetFile}: ${(err as NodeJS.ErrnoException).code ?? err}`,
            );
          }
        }
        const enriched = await enrichFromRun(project.config, project.repoRoot, request);
        const dryRun = Boolean(flags.dryRun);
        const writer = dryRun
          ? null
          : await LedgerWriter.openWaiting(paths, "shipgate blockers file", LEDGER_WAIT_MS);
        try {
          const filed = await fileBlocker({
            config: project.config,
            repoRoot: project.repoRoot,
            writer,
            release: ledger.context,
            request: enriched,
            dryRun,
          });
          const verb = filed.dryRun ? "would file" : filed.created ? "filed" : "already open";
          out.result(
            { ok: true, ...filed },
            filed.dryRun
              ? [`would file under "${filed.epicTitle}":`, `  ${filed.title}`, "", filed.body]
              : `${verb}: ${filed.id} ${filed.title} (epic ${filed.epicId})${filed.url ? ` ${filed.url}` : ""}`,
          );
          return ExitCode.pass;
        } finally {
          writer?.release();
        }
      }),
    );

  blockers
    .command("close")
    .argument("<id>", "the blocker's id in the tracker")
    .option("--release-target <tag>", "also mark it closed in this target's ledger")
    .description("close a blocker in the tracker")
    .action(
      action(async (command, id: string) => {
        const global = globals(command);
        const out = outputFor(global);
        const { releaseTarget } = command.opts<{ releaseTarget?: string }>();
        const target = releaseTarget ? await loadTarget(global, { releaseTarget }) : null;
        const project = target?.project ?? (await loadProject(global));
        const tracker = await createTracker(project.config, project.repoRoot);
        await tracker.closeTask(id);
        if (target) {
          const writer = await LedgerWriter.openWaiting(
            target.paths,
            "shipgate blockers close",
            LEDGER_WAIT_MS,
          );
          try {
            writer.update("blocker-closed", { id, tracker: tracker.kind }, (ledger) => {
              for (const b of ledger.blockers) {
                if (b.id === id && b.tracker === tracker.kind) {
                  b.state = "closed";
                  b.resolvedAt = nowIso();
                }
              }
            });
          } finally {
            writer.release();
          }
        }
        out.result({ ok: true, id, tracker: tracker.kind, closed: true }, `closed ${id} (${tracker.kind})`);
        return ExitCode.pass;
      }),
    );
}
