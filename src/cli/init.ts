// `shipgate init`: validates the four release inputs and creates (or reopens) the target's ledger.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { projectOptions } from "./runtime.js";

export function register(program: Command, inv: Invocation): void {
  program
    .command("init")
    .description("validate the release inputs and create or reopen the target's evidence ledger")
    .option("--release-target <tag>", "release target, e.g. v1.2.3")
    .option("--base-tag <tag>", "previous release tag, or `none` for a first release")
    .option("--mode <mode>", "dry-run or live")
    .option("--agent <id>", "who runs the release, as model@host")
    .option(
      "--force",
      "replace a ledger with a different context (the old one is moved aside, never deleted)",
    )
    .action(
      action(inv, async (command, out) => {
        const { initRelease } = await import("../evidence/init.js");
        const result = await initRelease(projectOptions(command), command.opts());
        out.result({ ok: true, exitCode: ExitCode.pass, ...result }, [
          `${result.action} ${result.path}`,
          ...(result.movedTo ? [`previous ledger moved to ${result.movedTo}`] : []),
          ...(result.tagCheck?.note ? [`note: ${result.tagCheck.note}`] : []),
        ]);
        return ExitCode.pass;
      }),
    );
}
