// A release target's state for the commands after `init`: the project, the ledger's paths and the
// validated ledger, with any context flag given cross-checked against what the ledger records.
import { checkExact, checkTargetSyntax, requireInput } from "../context/inputs.js";
import { loadProject, type Project, type ProjectOptions } from "../context/project.js";
import { UsageError } from "../errors.js";
import { readLedger } from "./ledger.js";
import { type LedgerPaths, ledgerPaths } from "./paths.js";
import type { Ledger } from "./schema.js";

export interface TargetFlags {
  releaseTarget?: string | undefined;
  baseTag?: string | undefined;
  mode?: string | undefined;
  agent?: string | undefined;
}

export interface TargetState {
  project: Project;
  paths: LedgerPaths;
  ledger: Ledger;
}

export function initCommand(target: string): string[] {
  return [
    "shipgate",
    "init",
    "--release-target",
    target,
    "--base-tag",
    "<vX.Y.Z|none>",
    "--mode",
    "<dry-run|live>",
    "--agent",
    "<model@host>",
  ];
}

/** The target's project and ledger; refuses (exit 2) without a ledger, or with a flag that contradicts it. */
export async function loadTarget(options: ProjectOptions, flags: TargetFlags): Promise<TargetState> {
  const project = await loadProject(options);
  return loadTargetIn(project, flags);
}

export function loadTargetIn(project: Project, flags: TargetFlags): TargetState {
  const target = requireInput(flags.releaseTarget, "--release-target");
  checkTargetSyntax(target, project.config.tagPattern);
  const paths = ledgerPaths(project.repoRoot, project.config.evidenceDir, target);
  let ledger: Ledger;
  try {
    ledger = readLedger(paths);
  } catch (err) {
    if (err instanceof UsageError && err.message.startsWith("no ledger")) {
      const init = initCommand(target);
      throw new UsageError(`no ledger for ${target} yet`, init.join(" "), init);
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
    if (given !== undefined) checkExact(given, flag);
    if (given !== undefined && given !== recorded) {
      throw new UsageError(
        `${flag} ${JSON.stringify(given)} contradicts the ledger, which records ${JSON.stringify(recorded)}`,
        "drop the flag, or start over with `shipgate init --force`",
      );
    }
  }
}
