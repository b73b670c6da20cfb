// `shipgate notices`: checks that every shipped archive carries the licence and notices files.
import type { Command } from "commander";
import { action, type Invocation } from "./action.js";
import { runKindCommand } from "./outcomes.js";

export function register(program: Command, inv: Invocation): void {
  program
    .command("notices")
    .description(
      "run the config's licensing-notices gates (exit 0 pass, 1 missing/unsafe, 3 no artifact found)",
    )
    .action(action(inv, async (command, out) => runKindCommand(command, out, "licensing-notices")));
}
