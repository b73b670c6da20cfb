// Builds the commander program (global options, every registered command, exit-2 parse errors) and runs
// one invocation against given streams, so tests can run the CLI in-process exactly as the binary does.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { ExitCode, UsageError } from "../errors.js";
import { withInvocation } from "../memo.js";
import type { Invocation } from "./action.js";
import { commands } from "./commands.js";
import { type CliIo, Output, processIo } from "./output.js";

// Set by the bundler in dist/bin (where no package.json is a fixed distance away); unset in src/.
declare const SHIPGATE_VERSION: string | undefined;

/** shipgate's own version: the bundle's, or from the package.json above this file (in src/ or dist/src/). */
export function version(): string {
  if (typeof SHIPGATE_VERSION === "string") return SHIPGATE_VERSION;
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

export function buildProgram(inv: Invocation): Command {
  const write = (text: string) => inv.io.stdout.write(text);
  const program = new Command("shipgate")
    .description(
      "fail-closed release manager: QA gates, blockers, evidence ledger and release steps, one ledger per release",
    )
    .version(version())
    .option(
      "--config <file>",
      "config file (default: shipgate.yaml, .yml or .json, found from here up to the repo root)",
    )
    .option("--cwd <dir>", "run as if started in <dir>")
    .option("--json", "print exactly one JSON value on stdout; progress goes to stderr")
    .option("--no-color", "never colour the output")
    .option("--verbose", "print stack traces of unexpected errors")
    .exitOverride();
  for (const register of commands) register(program, inv);
  // Commander keeps the last of repeated values; shipgate refuses two different ones rather than guess.
  const seen = new Map<string, string>();
  const watchRepeats = (command: Command) => {
    for (const option of command.options) {
      const flag = option.long ?? option.short ?? option.name();
      command.on(`option:${option.name()}`, (value: unknown) => {
        const given = value === undefined ? "(set)" : String(value);
        const key = `${command.name()} ${flag}`;
        const before = seen.get(key);
        if (before !== undefined && before !== given && !inv.refusal) {
          inv.refusal = new UsageError(
            `${flag} given twice with different values: ${JSON.stringify(before)} and ${JSON.stringify(given)}`,
            `pass ${flag} once`,
          );
        }
        seen.set(key, given);
      });
    }
  };
  const configure = (command: Command) => {
    watchRepeats(command);
    command.exitOverride();
    // Commander's own error line is dropped: `run` prints it once, in shipgate's format (or as JSON).
    command.configureOutput({
      outputError: () => {},
      writeOut: write,
      writeErr: (t) => inv.io.stderr.write(t),
    });
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** The (sub)command names `args` start with, e.g. ["blockers", "file"]: whose help a parse error names. */
export function commandPath(program: Command, args: string[]): string[] {
  const path: string[] = [];
  let at = program;
  for (const word of args.filter((a) => !a.startsWith("-"))) {
    const sub = at.commands.find((c) => c.name() === word);
    if (!sub) break;
    path.push(word);
    at = sub;
  }
  return path;
}

/** Parses and runs one invocation; returns its exit code. Commander's own parse errors exit 2. */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const inv: Invocation = { io, argv };
  const program = buildProgram(inv);
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }
  try {
    // One invocation, one memory: what it remembers (memo.ts) ends with it.
    await withInvocation(() => program.parseAsync(argv));
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version asked for it; "commander.help" is help shown because no command was given.
      const askedForHelp = argv.slice(2).find((a) => !a.startsWith("-")) === "help";
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || askedForHelp) {
        return ExitCode.pass;
      }
      const message =
        err.code === "commander.help" ? "no command given" : err.message.replace(/^error: /, "");
      const help = ["shipgate", ...commandPath(program, argv.slice(2)), "--help"];
      new Output(io, argv.includes("--json"), false).error(
        message,
        `run ${help.join(" ")}`,
        ExitCode.usage,
        help,
      );
      return ExitCode.usage;
    }
    throw err;
  }
  return inv.exitCode ?? ExitCode.pass;
}
