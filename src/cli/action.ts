// Wraps every command action: maps errors to one line and an exit code, so nothing ends as 0 by accident.
import type { Command } from "commander";
import { ExitCode, ShipgateError } from "../errors.js";
import { redact } from "../evidence/redact.js";
import type { CliIo, Output } from "./output.js";
import { globals, outputFor } from "./runtime.js";

/** One invocation: its streams and, once an action ran, its exit code. */
export interface Invocation {
  io: CliIo;
  exitCode?: number;
  /** A problem found while the command line was parsed (e.g. a flag given twice), refused before any work. */
  refusal?: ShipgateError;
}

export function action<A extends unknown[]>(
  inv: Invocation,
  run: (command: Command, out: Output, ...args: A) => Promise<number>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // Commander passes (…positionals, options, command); the command is always last.
    const command = args[args.length - 1] as Command;
    const positionals = args.slice(0, -2) as A;
    const out = outputFor(inv.io, globals(command));
    inv.exitCode = await guarded(out, Boolean(globals(command).verbose), () => {
      if (inv.refusal) throw inv.refusal;
      return run(command, out, ...positionals);
    });
  };
}

async function guarded(out: Output, verbose: boolean, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ShipgateError) {
      out.error(redact(err.message), err.hint && redact(err.hint), err.exitCode, err.fix);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    out.error(
      `unexpected error: ${redact(message.split("\n")[0] ?? message)}`,
      verbose ? undefined : "rerun with --verbose for details",
      ExitCode.incomplete,
    );
    if (verbose && err instanceof Error && err.stack) out.io.stderr.write(`${redact(err.stack)}\n`);
    return ExitCode.incomplete;
  }
}
