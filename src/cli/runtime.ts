// What every command needs before it acts: global options, the repository, the config, the target's ledger.
import { statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import type { ShipgateConfig } from "../config/schema.js";
import { repoRoot } from "../context/git.js";
import { checkTargetSyntax, requireInput } from "../context/inputs.js";
import { UsageError } from "../errors.js";
import { readLedger } from "../evidence/ledger.js";
import { type LedgerPaths, ledgerPaths } from "../evidence/paths.js";
import type { Ledger } from "../evidence/schema.js";
import { colorEnabled, Output } from "./output.js";

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

export function outputFor(options: GlobalOptions): Output {
  return new Output(Boolean(options.json), colorEnabled(options.color === false));
}

export interface Project {
  cwd: string;
  repoRoot: string;
  config: ShipgateConfig;
  configFile: string;
}

export async function loadProject(options: GlobalOptions): Promise<Project> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.cwd !== undefined && !statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`--cwd ${options.cwd} is not a directory`);
  }
  const { config, file } = loadConfig(cwd, options.config);
  return { cwd, repoRoot: await repoRoot(cwd), config, configFile: file };
}

export interface TargetFlags {
  releaseTarget?: string;
  baseTag?: string;
  mode?: string;
  agent?: string;
}

export interface TargetState {
  project: Project;
  paths: LedgerPaths;
  ledger: Ledger;
}

/** For commands after `init`: reads the target's ledger and refuses flags that contradict it. */
export async function loadTarget(options: GlobalOptions, flags: TargetFlags): Promise<TargetState> {
  const project = await loadProject(options);
  const target = requireInput(flags.releaseTarget, "--release-target");
  checkTargetSyntax(target, project.config.tagPattern);
  const paths = ledgerPaths(project.repoRoot, project.config.evidenceDir, target);
  let ledger: Ledger;
  try {
    ledger = readLedger(paths);
  } catch (err) {
    if (err instanceof UsageError && err.message.startsWith("no ledger")) {
      throw new UsageError(
        `no ledger for ${target} yet`,
        `shipgate init --release-target ${target} --base-tag <vX.Y.Z|none> --mode <dry-run|live> --agent <model@host>`,
      );
    }
    throw err;
  }
  checkAgainstLedger(ledger, flags);
  return { project, paths, ledger };
}

export function checkAgainstLedger(ledger: Ledger, flags: TargetFlags): void {
  const pairs: [keyof TargetFlags, string, string][] = [
    ["baseTag", "--base-tag", ledger.context.baseTag],
    ["mode", "--mode", ledger.context.mode],
    ["agent", "--agent", ledger.context.agent],
  ];
  for (const [key, flag, recorded] of pairs) {
    const given = flags[key];
    if (given !== undefined && given !== recorded) {
      throw new UsageError(
        `${flag} ${given} contradicts the ledger, which records ${recorded}`,
        "drop the flag, or start over with `shipgate init --force`",
      );
    }
  }
}

/** Adds --release-target and the optional cross-check flags to a target-scoped command. */
export function targetOptions(command: Command): Command {
  return command
    .option("--release-target <tag>", "release target, e.g. v1.2.3")
    .option("--base-tag <tag>", "must match the ledger if given")
    .option("--mode <mode>", "must match the ledger if given")
    .option("--agent <id>", "must match the ledger if given");
}
