// `shipgate tag`: the first live mechanics step. Refuses (exit 1) while blockers are open or gates have not
// passed for HEAD; in dry-run mode says what it would do and changes nothing in git.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { LedgerWriter } from "../evidence/ledger.js";
import { tagStep } from "../pipeline/tag.js";
import { action } from "./action.js";
import { globals, loadTarget, outputFor, targetOptions } from "./runtime.js";

export function register(program: Command): void {
  targetOptions(program.command("tag"))
    .description(
      "create the annotated release tag at HEAD and push it (exit 0 done, 1 refused: open blockers or gates not passed)",
    )
    .option("--remote <name>", "git remote to push the tag to", "origin")
    .action(
      action(async (command) => {
        const global = globals(command);
        const out = outputFor(global);
        const { remote } = command.opts<{ remote: string }>();
        const { project, paths, ledger } = await loadTarget(global, command.opts());
        const writer = LedgerWriter.open(paths, `shipgate tag ${ledger.context.releaseTarget}`);
        try {
          const outcome = await tagStep({
            config: project.config,
            repoRoot: project.repoRoot,
            writer,
            remote,
          });
          const { tag, sha, problems, actions, dryRun } = outcome;
          const refused = problems.length > 0;
          const exitCode = refused ? ExitCode.blocked : ExitCode.pass;
          const at = `${tag} at ${sha.slice(0, 12)}`;
          const phrase = (done: boolean) =>
            actions
              .map((a) =>
                a === "create"
                  ? `${done ? "created" : "create"} annotated tag ${at}`
                  : `${done ? "pushed" : "push"} ${tag} to ${remote}`,
              )
              .join(" and ");
          const human = refused
            ? [
                `refused: ${tag} is not tagged (${problems.length} problem${problems.length === 1 ? "" : "s"})`,
                ...problems.map((p) => `  ${p.kind} ${p.id}: ${p.detail}`),
              ]
            : actions.length === 0
              ? [`${at} is already tagged and on ${remote}: nothing to do`]
              : dryRun
                ? [`dry-run: would ${phrase(false)}; nothing was changed`]
                : [`done: ${phrase(true)}`];
          out.result({ ok: !refused, exitCode, ...outcome, ledger: paths.json }, human);
          return exitCode;
        } finally {
          writer.release();
        }
      }),
    );
}
