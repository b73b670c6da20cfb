// Wraps every command action: maps errors to one line and an exit code, so nothing ends as 0 by accident.
import type { Command } from "commander";
import { ExitCode, ShipgateError } from "../errors.js";
import { redact } from "../evidence/redact.js";
import type { CliIo, Output } from "./output.js";
import { globals, outputFor } from "./runtime.js";

/** One invocation: its streams and, once an action ran, its exit code. */
export interface Invocation {
  io: CliIo;
  /** The command line as given (node, script, arguments…). */
  argv: string[];
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
    inv.exitCode = await guarded(out, command, inv.argv, () => {
      if (inv.refusal) throw inv.refusal;
      return run(command, out, ...positionals);
    });
  };
}

/** `shipgate <command…> --help`: what an error without a fixing command points to. */
function helpOf(command: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return ["shipgate", ...names, "--help"];
}

/** The same command line with --verbose, for an unexpected error. */
function verboseRerun(argv: string[]): string[] {
  return [
    "shipgate",
    ...argv
      .slice(2)
      .filter((a) => a !== "--verbose")
      .map((a) => redact(a)),
    "--verbose",
  ];
}

// Every error says what to run next, never null (null means nothing is left to do): the error's own fix,
// else the command's help, or for an unexpected error the same command with --verbose.
async function guarded(
  out: Output,
  command: Command,
  argv: string[],
  run: () => Promise<number>,
): Promise<number> {
  const verbose = Boolean(globals(command).verbose);
  try {
    return await run();
  } catch (err) {
    if (err instanceof ShipgateError) {
      out.error(redact(err.message), err.hint && redact(err.hint), err.exitCode, err.fix ?? helpOf(command));
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    out.error(
      `unexpected error: ${redact(message.split("\n")[0] ?? message)}`,
      verbose ? undefined : "rerun with --verbose for details",
      ExitCode.incomplete,
      verbose ? helpOf(command) : verboseRerun(argv),
    );
    if (verbose && err instanceof Error && err.stack) out.io.stderr.write(`${redact(err.stack)}\n`);
    return ExitCode.incomplete;
  }
}
