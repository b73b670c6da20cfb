// `shipgate versions`: reports the version of every manifest of the config's version-alignment gates.
// Needs no ledger. The comparison is the gate kind's own (readAllVersions + alignmentOutcome).
import type { Command } from "commander";
import semver from "semver";
import { checkTargetSyntax, versionOf } from "../context/inputs.js";
import { ExitCode, UsageError } from "../errors.js";
import { alignmentOutcome, describeVersion, readAllVersions } from "../gates/kinds/version-alignment.js";
import { gatesOfKind } from "../gates/standalone.js";
import { action } from "./action.js";
import { globals, loadProject, outputFor } from "./runtime.js";

/** `1.2.3` or `v1.2.3` (the tag typed where the version goes); nothing looser such as `=1.2` or ` 1.2.3`. */
function parseExpect(raw: string): string {
  const bare = raw.replace(/^v/, "");
  if (semver.valid(bare) !== bare) throw new UsageError(`--expect "${raw}" is not a version like 1.2.3`);
  return bare;
}

export function register(program: Command): void {
  program
    .command("versions")
    .description(
      "show every manifest version; exit 1 on drift (from --expect, --release-target, or each other)",
    )
    .option("--expect <version>", "the version every manifest must hold, e.g. 1.4.0")
    .option("--release-target <tag>", "expect the version this tag names")
    .action(
      action(async (command) => {
        const options = command.opts<{ expect?: string; releaseTarget?: string }>();
        const out = outputFor(globals(command));
        const project = await loadProject(globals(command));
        let expected = options.expect === undefined ? undefined : parseExpect(options.expect);
        if (options.releaseTarget !== undefined) {
          checkTargetSyntax(options.releaseTarget, project.config.tagPattern);
          const fromTag = versionOf(options.releaseTarget);
          if (expected !== undefined && expected !== fromTag) {
            throw new UsageError(
              `--expect ${expected} contradicts --release-target ${options.releaseTarget}`,
            );
          }
          expected = fromTag;
        }
        const gates = gatesOfKind(project.config.gates, "version-alignment");
        if (gates.length === 0)
          throw new UsageError(
            "the config has no gate of kind version-alignment",
            `add one to ${project.configFile}`,
          );
        const versions = readAllVersions(
          project.repoRoot,
          gates.flatMap((g) => g.manifests),
        );
        // Without an expectation, the manifests must at least agree with each other: the first
        // value read is the reference, and every other must equal it.
        const reference = expected ?? versions.find((v) => v.value !== null)?.value ?? "";
        const outcome = alignmentOutcome(versions, reference);
        const exitCode = outcome.status === "pass" ? ExitCode.pass : ExitCode.blocked;
        out.result(
          {
            ok: exitCode === ExitCode.pass,
            exitCode,
            expected: reference || null,
            compared: expected === undefined ? "each-other" : "expected",
            summary: outcome.summary,
            versions,
          },
          [
            ...versions.map(
              (v) =>
                `${out.status(v.value !== null && v.value === reference ? "pass" : "fail")} ${describeVersion(v)}`,
            ),
            exitCode === ExitCode.pass ? `all at ${reference}` : `drift: ${outcome.summary}`,
          ],
        );
        return exitCode;
      }),
    );
}
