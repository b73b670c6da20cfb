// Wraps every command action: maps errors to one line and an exit code, so nothing ends as 0 by accident.
import type { Command } from "commander";
import { ExitCode, ShipgateError } from "../errors.js";
import { redact } from "../evidence/redact.js";
import { globals, outputFor } from "./runtime.js";

export type ActionResult = number;

export function action<A extends unknown[]>(
  run: (command: Command, ...args: A) => Promise<ActionResult>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // Commander passes (…positionals, options, command); the command is always last.
    const command = args[args.length - 1] as Command;
    const positionals = args.slice(0, -2) as A;
    process.exitCode = await runGuarded(command, () => run(command, ...positionals));
  };
}

export async function runGuarded(command: Command, run: () => Promise<number>): Promise<number> {
  const options = globals(command);
  const out = outputFor(options);
  try {
    return await run();
  } catch (err) {
    if (err instanceof ShipgateError) {
      out.error(redact(err.message), err.hint, err.exitCode);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    out.error(
      `unexpected error: ${redact(message.split("\n")[0] ?? message)}`,
      options.verbose ? undefined : "rerun with --verbose for details",
      ExitCode.incomplete,
    );
    if (options.verbose && err instanceof Error && err.stack) process.stderr.write(`${redact(err.stack)}\n`);
    return ExitCode.incomplete;
  }
}
