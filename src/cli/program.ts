// Builds the commander program: global options, every registered command, and exit-2 parse errors.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { ExitCode } from "../errors.js";
import { commands } from "./commands.js";
import { Output } from "./output.js";

/** shipgate's own version, from the package.json above this file (in src/ or in dist/src/). */
function version(): string {
  for (const up of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
        name?: string;
        version: string;
      };
      if (pkg.name === "shipgate") return pkg.version;
    } catch {
      // not at this level
    }
  }
  return "unknown";
}

export function buildProgram(): Command {
  const program = new Command("shipgate")
    .description(
      "fail-closed release manager: QA gates, blockers, evidence ledger, publish and delivery checks",
    )
    .version(version())
    .option("--config <file>", "config file (default: shipgate.yaml, .yml or .json in the working directory)")
    .option("--cwd <dir>", "run as if started in <dir>")
    .option("--json", "print exactly one JSON value on stdout; progress goes to stderr")
    .option("--no-color", "never colour the output")
    .option("--verbose", "print stack traces of unexpected errors")
    .exitOverride();
  silenceParseErrors(program);
  for (const register of commands) register(program);
  for (const sub of program.commands) applyRecursively(sub);
  return program;
}

function applyRecursively(command: Command): void {
  command.exitOverride();
  silenceParseErrors(command);
  for (const sub of command.commands) applyRecursively(sub);
}

/** Commander's own error line is dropped: `run` prints it once, in shipgate's format (or as JSON). */
function silenceParseErrors(command: Command): void {
  command.configureOutput({ outputError: () => {} });
}

/** Parses and runs; returns the exit code. Commander's own parse errors are usage errors (exit 2). */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version asked for it; "commander.help" is help shown because no command was given.
      const askedForHelp = argv.slice(2).find((a) => !a.startsWith("-")) === "help";
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || askedForHelp) {
        return ExitCode.pass;
      }
      const message =
        err.code === "commander.help" ? "no command given" : err.message.replace(/^error: /, "");
      const words = argv.slice(2).filter((a) => !a.startsWith("-"));
      const named = program.commands.find((c) => c.name() === words[0]);
      const hint = `run shipgate ${named ? `${named.name()} ` : ""}--help`;
      new Output(argv.includes("--json"), false).error(message, hint, ExitCode.usage);
      return ExitCode.usage;
    }
    throw err;
  }
  return typeof process.exitCode === "number" ? process.exitCode : ExitCode.pass;
}
