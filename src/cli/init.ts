// `shipgate init`: validates the four release inputs and creates (or reopens) the target's ledger.
import type { Command } from "commander";
import { currentBranch, headSha } from "../context/git.js";
import { validateInputs } from "../context/inputs.js";
import { ExitCode, UsageError } from "../errors.js";
import { initialLedger, LedgerWriter, ledgerExists, nowIso, readLedger } from "../evidence/ledger.js";
import { ledgerPaths } from "../evidence/paths.js";
import type { Ledger } from "../evidence/schema.js";
import { action } from "./action.js";
import { globals, loadProject, outputFor } from "./runtime.js";

interface InitOptions {
  releaseTarget?: string;
  baseTag?: string;
  mode?: string;
  agent?: string;
  force?: boolean;
}

const CONTEXT_KEYS = ["releaseTarget", "baseTag", "mode", "agent"] as const;

export function register(program: Command): void {
  program
    .command("init")
    .description("validate the release inputs and create or reopen the target's evidence ledger")
    .option("--release-target <tag>", "release target, e.g. v1.2.3")
    .option("--base-tag <tag>", "previous release tag, or `none` for a first release")
    .option("--mode <mode>", "dry-run or live")
    .option("--agent <id>", "who runs the release, as model@host")
    .option(
      "--force",
      "replace a ledger with a different context (the old one is moved aside, never deleted)",
    )
    .action(
      action(async (command) => {
        const options = command.opts<InitOptions>();
        const out = outputFor(globals(command));
        const project = await loadProject(globals(command));
        const context = await validateInputs(options, project.config.tagPattern, project.repoRoot);
        const paths = ledgerPaths(project.repoRoot, project.config.evidenceDir, context.releaseTarget);

        if (ledgerExists(paths) && !options.force) {
          const existing: Ledger = readLedger(paths);
          const differing = CONTEXT_KEYS.filter((k) => existing.context[k] !== context[k]);
          if (differing.length > 0) {
            const what = differing
              .map((k) => `${k} ${existing.context[k]} (you passed ${context[k]})`)
              .join(", ");
            throw new UsageError(
              `a ledger for ${context.releaseTarget} already exists with ${what}`,
              "rerun with the recorded inputs, or pass --force to start over (the old ledger is moved aside)",
            );
          }
          // Same inputs: reopening writes nothing, so the file stays byte-identical.
          out.result(
            { ok: true, action: "reopened", path: paths.json, context: existing.context },
            `reopened ${paths.json}`,
          );
          return ExitCode.pass;
        }

        const ledger = initialLedger(
          { ...context, initializedAt: nowIso() },
          { branch: await currentBranch(project.repoRoot), sha: await headSha(project.repoRoot) },
        );
        const { writer, movedTo } = LedgerWriter.create(
          paths,
          "shipgate init",
          ledger,
          Boolean(options.force),
        );
        writer.release();
        const actionName = movedTo ? "replaced" : "created";
        out.result({ ok: true, action: actionName, path: paths.json, movedTo, context: ledger.context }, [
          `${actionName} ${paths.json}`,
          ...(movedTo ? [`previous ledger moved to ${movedTo}`] : []),
        ]);
        return ExitCode.pass;
      }),
    );
}
