// `shipgate gates`: runs the applicable QA gates for a target and records every outcome in its ledger.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { listFlag, numberFlag } from "./flags.js";
import { interruptible } from "./interrupt.js";
import { globals, projectOptions, targetFlags, targetOptions } from "./runtime.js";

interface GatesOptions {
  only?: string;
  jobs?: string;
  rerun?: boolean;
  fileBlockers?: boolean;
}

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("gates"))
    .description("run the QA gates (exit 0 all pass, 1 any failed, 3 none failed but some incomplete)")
    .option("--only <ids>", "comma-separated gate ids to run")
    .option("--jobs <n>", "how many gates run at once (default: number of cores)")
    .option("--rerun", "ignore the resume cache and run passed gates again")
    .option("--no-file-blockers", "do not file blockers for blocking gates")
    .action(
      action(inv, async (command, out) => {
        const options = command.opts<GatesOptions>();
        const jobs = numberFlag(options.jobs, "--jobs", { integer: true });
        const only = listFlag(options.only, "--only", "fmt,deps");
        const { runGatesFor } = await import("../gates/run.js");
        const { defaultJobs } = await import("../gates/scheduler.js");
        const tty = !globals(command).json && Boolean(inv.io.stdout.isTTY);
        const interrupt = interruptible("stopping running gates", inv.io);
        try {
          const report = await runGatesFor(projectOptions(command), targetFlags(command), {
            only,
            jobs: jobs ?? defaultJobs(),
            rerun: Boolean(options.rerun),
            fileBlockers: options.fileBlockers !== false,
            signal: interrupt.signal,
            // The TTY list (listr2) is loaded only when there is a terminal to draw on.
            reporter: async (gates) => {
              if (tty) return new (await import("../gates/tty-progress.js")).TtyReporter(gates);
              return new (await import("../gates/progress.js")).LineReporter((text) => out.progress(text));
            },
          });
          if (report.gates.length === 0) {
            out.result(
              { ok: false, ...report, error: "no gates configured" },
              "no gates configured: nothing was decided",
            );
            return report.exitCode;
          }
          const { exitCode, gates } = report;
          out.result({ ok: exitCode === ExitCode.pass, ...report }, [
            `${Object.entries(report.counts)
              .map(([k, v]) => `${v} ${k}`)
              .join(", ")} — ledger: ${report.ledger}`,
            ...(exitCode === ExitCode.pass
              ? []
              : gates
                  .filter((r) => r.status === "fail" || r.status === "incomplete")
                  .map(
                    (r) =>
                      `  ${out.status(r.status)} ${r.id}: ${r.summary}${r.logPath ? ` (log: ${r.logPath})` : ""}${r.blockerId ? ` [blocker ${r.blockerId}]` : ""}`,
                  )),
            ...gates
              .filter((r) => r.blockerError)
              .map((r) => `  warning: could not file the blocker for ${r.id}: ${r.blockerError}`),
          ]);
          return exitCode;
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
