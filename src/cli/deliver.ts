// `shipgate deliver`: proves every configured channel serves the release (read-only; dry-run too).
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { durationFlag, listFlag } from "./flags.js";
import { interruptible } from "./interrupt.js";
import { projectOptions, targetFlags, targetOptions } from "./runtime.js";

export function register(program: Command, inv: Invocation): void {
  targetOptions(program.command("deliver"))
    .description(
      "check that every channel serves the release, retrying until the propagation window ends (exit 0 all live, 1 missing or wrong, 3 a channel could not be asked)",
    )
    .option("--channels <list>", "only these channel ids or kinds, e.g. npm,pypi")
    .option("--wait <duration>", "propagation window, e.g. 10m (0: ask once); default delivery.wait or 10m")
    .option(
      "--poll <duration>",
      "first delay between checks of a channel, doubling; default delivery.poll or 10s",
    )
    .action(
      action(inv, async (command, out) => {
        const o = command.opts<{ channels?: string; wait?: string; poll?: string }>();
        const input = {
          channels: listFlag(o.channels, "--channels", "npm,pypi"),
          waitMs: await durationFlag(o.wait, "--wait", true),
          pollMs: await durationFlag(o.poll, "--poll"),
        };
        const { deliver } = await import("../pipeline/deliver.js");
        const interrupt = interruptible("stopping the delivery checks", inv.io);
        try {
          const report = await deliver(projectOptions(command), targetFlags(command), input, {
            signal: interrupt.signal,
            progress: (t) => out.progress(t),
          });
          const lines =
            report.result === "refused"
              ? [
                  `delivered before, but now: ${report.problems.length} channel${report.problems.length === 1 ? "" : "s"} not live`,
                  ...report.problems.map((p) => `  ${p.detail}`),
                ]
              : [
                  report.result === "verified"
                    ? "delivered before, and every channel still serves it"
                    : report.exitCode === ExitCode.pass
                      ? "every channel serves the release"
                      : report.record?.partial
                        ? `partial publish${report.record.blockerId ? `: blocker ${report.record.blockerId} filed` : ""}`
                        : "not every channel serves the release",
                  ...Object.values(report.channels).map(
                    (c) =>
                      `  ${out.status(c.status === "live" ? "pass" : c.status === "incomplete" ? "incomplete" : "fail")} ${c.summary}`,
                  ),
                ];
          const { actionIds, ...rest } = report;
          out.result({ ok: report.exitCode === ExitCode.pass, ...rest, actions: actionIds }, lines);
          return report.exitCode;
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
