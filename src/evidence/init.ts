// `init`: validates the four release inputs and creates the target's ledger, or reopens it unchanged
// when the same inputs are given again; different inputs are refused unless `force` moves it aside.
import { headAndBranch } from "../context/git.js";
import {
  checkTargetTag,
  initArgv,
  type RawInputs,
  type TagCheck,
  validateInputs,
} from "../context/inputs.js";
import { loadProject, type ProjectOptions } from "../context/project.js";
import { UsageError } from "../errors.js";
import { initialLedger, LedgerWriter, ledgerExists, nowIso, readLedger } from "./ledger.js";
import { type NextStep, nextStep } from "./next-step.js";
import { ledgerPaths } from "./paths.js";
import type { Ledger } from "./schema.js";

const CONTEXT_KEYS = ["releaseTarget", "baseTag", "mode", "agent"] as const;

export interface InitResult {
  action: "created" | "reopened" | "replaced";
  path: string;
  movedTo?: string;
  context: Ledger["context"];
  /** Where the target's tag already is (checked when a ledger is created); absent on a reopen. */
  tagCheck?: TagCheck;
  next: NextStep | null;
}

export async function initRelease(
  options: ProjectOptions,
  raw: RawInputs & { force?: boolean | undefined },
): Promise<InitResult> {
  const project = await loadProject(options);
  const context = await validateInputs(raw, project.config.tagPattern, project.repoRoot);
  const paths = ledgerPaths(project.repoRoot, project.config.evidenceDir, context.releaseTarget);

  if (ledgerExists(paths) && !raw.force) {
    const existing: Ledger = readLedger(paths);
    const differing = CONTEXT_KEYS.filter((k) => existing.context[k] !== context[k]);
    if (differing.length > 0) {
      const what = differing.map((k) => `${k} ${existing.context[k]} (you passed ${context[k]})`).join(", ");
      throw new UsageError(
        `a ledger for ${context.releaseTarget} already exists with ${what}`,
        "rerun with the recorded inputs, or pass --force to start over (the old ledger is moved aside)",
        initArgv(existing.context),
      );
    }
    // Same inputs: reopening writes nothing, so the file stays byte-identical.
    return {
      action: "reopened",
      path: paths.json,
      context: existing.context,
      next: nextStep(existing, { config: project.config }),
    };
  }

  const { sha, branch } = await headAndBranch(project.repoRoot);
  const tagCheck = await checkTargetTag(context, project.repoRoot, sha);
  const ledger = initialLedger({ ...context, initializedAt: nowIso() }, { branch, sha });
  const { writer, movedTo } = LedgerWriter.create(
    paths,
    "shipgate init",
    ledger,
    Boolean(raw.force),
    project.config,
  );
  writer.release();
  return {
    action: movedTo ? "replaced" : "created",
    path: paths.json,
    ...(movedTo ? { movedTo } : {}),
    context: ledger.context,
    tagCheck,
    next: nextStep(ledger, { config: project.config }),
  };
}
