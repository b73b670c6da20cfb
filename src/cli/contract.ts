// `shipgate contract`: checks the GitHub Actions workflows against the configured contract rules.
import type { Command } from "commander";
import { action, type Invocation } from "./action.js";
import { runKindCommand } from "./outcomes.js";

export function register(program: Command, inv: Invocation): void {
  program
    .command("contract")
    .description("run the config's workflow-contract gates (exit 0 pass, 1 any rule broken)")
    .action(action(inv, async (command, out) => runKindCommand(command, out, "workflow-contract")));
}
