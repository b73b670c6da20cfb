// `shipgate run`: the whole release as one resumable pipeline (exit 0 done, 1 blocked, 3 undecided),
// ending with the HTML report of the evidence.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { numberFlag } from "./flags.js";
import { interruptible } from "./interrupt.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("run"))
    .description(
      "walk the whole release: preflight, gates, bench, blockers, then every release step; resumable (exit 0 done, 1 blocked, 3 undecided)",
    )
    .option("--until <phase>", "stop after this phase (e.g. gates, tag, rehearsal)")
    .option("--jobs <n>", "how many gates run at once (default: number of cores)")
    .option(
      "--credentials-rotated",
      "registry credentials changed since the last release: rehearse before publishing",
    )
    .option("--no-report", "do not write the HTML report at the end")
    .action(
      action(inv, async (command, out) => {
        const o = command.opts<{
          until?: string;
          jobs?: string;
          credentialsRotated?: boolean;
          report?: boolean;
        }>();
        const jobs = numberFlag(o.jobs, "--jobs", { integer: true });
        const { runRelease } = await import("../pipeline/run.js");
        const { defaultJobs } = await import("../gates/scheduler.js");
        const interrupt = interruptible("stopping the release at the current phase", inv.io);
        try {
          const report = await runRelease(projectOptions(command), targetFlags(command), {
            until: o.until,
            jobs: jobs ?? defaultJobs(),
            credentialsRotated: Boolean(o.credentialsRotated),
            signal: interrupt.signal,
            progress: (text) => out.progress(text),
          });
          let html: string | null = null;
          if (o.report !== false) {
            const { writeReport } = await import("../report/write.js");
            html = (await writeReport(projectOptions(command), { releaseTarget: report.releaseTarget }, {}))
              .path;
          }
          out.result({ ok: report.exitCode === ExitCode.pass, ...report, report: html }, [
            ...report.phases.map(
              (p) => `${out.status(p.status).padEnd(out.color ? 20 : 11)} ${p.phase}  ${p.summary}`,
            ),
            "",
            report.stoppedAt
              ? `stopped at ${report.stoppedAt}; after dealing with it, continue with: ${report.continue.join(" ")}`
              : report.mode === "dry-run"
                ? "the dry run is finished"
                : "the release is done",
            `ledger: ${report.ledger}`,
            ...(html ? [`report: ${html}`] : []),
          ]);
          return report.exitCode;
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
