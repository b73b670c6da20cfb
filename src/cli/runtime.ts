// What every command needs from the command line: global options, the output, and the release-target
// flags. Loads nothing heavy: commands import their use-case only when they run.
import type { Command } from "commander";
import type { ProjectOptions } from "../context/project.js";
import type { TargetFlags } from "../evidence/target.js";
import { type CliIo, colorEnabled, Output } from "./output.js";

export interface GlobalOptions {
  config?: string;
  cwd?: string;
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
}

export function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

export function outputFor(io: CliIo, options: GlobalOptions): Output {
  return new Output(io, Boolean(options.json), colorEnabled(options.color === false, io));
}

/** Where the project is: --cwd and --config. */
export function projectOptions(command: Command): ProjectOptions {
  const { cwd, config } = globals(command);
  return { cwd, config };
}

export function targetFlags(command: Command): TargetFlags {
  const { releaseTarget, baseTag, mode, agent } = command.opts<TargetFlags>();
  return { releaseTarget, baseTag, mode, agent };
}

/** Adds --release-target and the optional cross-check flags to a target-scoped command. */
export function targetOptions(command: Command): Command {
  return command
    .option("--release-target <tag>", "release target, e.g. v1.2.3")
    .option("--base-tag <tag>", "must match the ledger if given")
    .option("--mode <mode>", "must match the ledger if given")
    .option("--agent <id>", "must match the ledger if given");
}
