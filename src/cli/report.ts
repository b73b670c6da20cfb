// `shipgate report`: the target's ledger as one self-contained HTML page (the browser twin of evidence.md).
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("report"))
    .description(
      "write the release's evidence as one self-contained HTML page (default <evidenceDir>/<target>/report.html)",
    )
    .option("--html <file>", "where to write the page instead")
    .action(
      action(inv, async (command, out) => {
        const { writeReport } = await import("../report/write.js");
        const { html } = command.opts<{ html?: string }>();
        const report = await writeReport(projectOptions(command), targetFlags(command), { html });
        const c = report.counts;
        const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
        out.result({ ok: true, exitCode: ExitCode.pass, ...report }, [
          `wrote ${report.path}`,
          [
            n(c.gates, "gate"),
            n(c.blockers, "blocker"),
            n(c.benchScenarios, "bench scenario"),
            n(c.steps, "release step"),
            n(c.channels, "channel"),
            n(c.events, "event"),
          ].join(", "),
        ]);
        return ExitCode.pass;
      }),
    );
}
