// `shipgate gates`: runs the applicable QA gates for a target and records every outcome in its ledger.
import type { Command } from "commander";
import type { ReleaseContext } from "../context/inputs.js";
import { ExitCode } from "../errors.js";
import { LedgerWriter } from "../evidence/ledger.js";
import { type BlockerHooks, defaultJobs, type GateResult, runGates } from "../gates/engine.js";
import { selectGates } from "../gates/select.js";
import { exitCodeForStatuses } from "../gates/verdict.js";
import { composeBlocker, fileBlocker, resolveBlockers } from "../trackers/blockers.js";
import { createTracker } from "../trackers/index.js";
import type { Tracker } from "../trackers/types.js";
import { action } from "./action.js";
import { listFlag, numberFlag } from "./flags.js";
import { interruptible } from "./interrupt.js";
import { globals, loadTarget, outputFor, type Project, targetOptions } from "./runtime.js";

interface GatesOptions {
  releaseTarget?: string;
  only?: string;
  jobs?: string;
  rerun?: boolean;
  fileBlockers?: boolean;
}

export function parseJobs(value: string | undefined): number {
  return numberFlag(value, "--jobs", { integer: true }) ?? defaultJobs();
}

export function register(program: Command): void {
  targetOptions(program.command("gates"))
    .description("run the QA gates (exit 0 all pass, 1 any failed, 3 none failed but some incomplete)")
    .option("--only <ids>", "comma-separated gate ids to run")
    .option("--jobs <n>", "how many gates run at once (default: number of cores)")
    .option("--rerun", "ignore the resume cache and run passed gates again")
    .option("--no-file-blockers", "do not file blockers for blocking gates")
    .action(
      action(async (command) => {
        const options = command.opts<GatesOptions>();
        const global = globals(command);
        const out = outputFor(global);
        const jobs = parseJobs(options.jobs);
        const { project, paths, ledger } = await loadTarget(global, command.opts());
        const only = listFlag(options.only, "--only", "fmt,deps");
        const gates = selectGates(project.config.gates, only);
        if (gates.length === 0) {
          out.result(
            { ok: false, exitCode: ExitCode.incomplete, gates: [], error: "no gates configured" },
            "no gates configured: nothing was decided",
          );
          return ExitCode.incomplete;
        }

        const writer = LedgerWriter.open(paths, `shipgate gates ${ledger.context.releaseTarget}`);
        const interrupt = interruptible("stopping running gates");
        const tty = !global.json && Boolean(process.stdout.isTTY);
        // The TTY list (listr2) is loaded only when there is a terminal to draw on.
        const { LineReporter, TtyReporter } = await import("../gates/progress.js");
        const reporter = tty ? new TtyReporter(gates) : new LineReporter((text) => out.progress(text));
        try {
          const release: ReleaseContext = writer.ledger.context;
          const results = await runGates({
            config: project.config,
            repoRoot: project.repoRoot,
            paths,
            writer,
            release,
            gates,
            jobs,
            rerun: Boolean(options.rerun),
            signal: interrupt.signal,
            reporter,
            blockers: options.fileBlockers === false ? undefined : blockerHooks(project, writer, release),
          });
          if (reporter instanceof TtyReporter) await reporter.close();
          const exitCode = interrupt.signal.aborted
            ? ExitCode.incomplete
            : exitCodeForStatuses(results.map((r) => r.status));
          const counts = countBy(results);
          out.result(
            {
              ok: exitCode === ExitCode.pass,
              exitCode,
              releaseTarget: release.releaseTarget,
              ledger: paths.json,
              counts,
              gates: results,
            },
            [
              `${Object.entries(counts)
                .map(([k, v]) => `${v} ${k}`)
                .join(", ")} — ledger: ${paths.json}`,
              ...(exitCode === ExitCode.pass
                ? []
                : results
                    .filter((r) => r.status === "fail" || r.status === "incomplete")
                    .map(
                      (r) =>
                        `  ${out.status(r.status)} ${r.id}: ${r.summary}${r.logPath ? ` (log: ${r.logPath})` : ""}${r.blockerId ? ` [blocker ${r.blockerId}]` : ""}`,
                    )),
              ...results
                .filter((r) => r.blockerError)
                .map((r) => `  warning: could not file the blocker for ${r.id}: ${r.blockerError}`),
            ],
          );
          return exitCode;
        } finally {
          interrupt.dispose();
          writer.release();
        }
      }),
    );
}

/**
 * Files a blocker for each blocking gate and resolves a gate's blockers when it passes. A dry run
 * never files into a remote tracker (GitHub): it records what it would have filed instead.
 */
function blockerHooks(project: Project, writer: LedgerWriter, release: ReleaseContext): BlockerHooks {
  let tracker: Promise<Tracker> | undefined;
  const get = () => {
    tracker ??= createTracker(project.config, project.repoRoot);
    return tracker;
  };
  const { config, repoRoot } = project;
  return {
    async blocked(gate, record) {
      const failing = record.commands.find((c) => c.exitCode !== 0);
      const request = {
        check: gate.id,
        title: gate.name ?? gate.id,
        summary: record.summary,
        ...(failing ? { failingCommand: failing.command } : {}),
        ...(record.excerpt ? { logSnippet: record.excerpt.split("\n").slice(-20).join("\n") } : {}),
      };
      const t = await get();
      if (release.mode === "dry-run" && t.remote) {
        const text = composeBlocker(config, release, request);
        writer.update("blocker-would-file", {
          id: gate.id,
          tracker: t.kind,
          epic: text.epicTitle,
          title: text.taskTitle,
        });
        return undefined;
      }
      return (await fileBlocker({ config, repoRoot, writer, release, request, tracker: t })).id;
    },
    async passed(gate) {
      if (!writer.ledger.blockers.some((b) => b.check === gate.id && b.state === "open")) return;
      await resolveBlockers({ config, repoRoot, writer, check: gate.id, tracker: await get() });
    },
  };
}

function countBy(results: GateResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}
