// `versions`: every manifest version of the config's version-alignment gates, compared with an expected
// version (from --expect or --release-target) or, without one, with each other. Needs no ledger; the
// comparison is the gate kind's own (readAllVersions + alignmentOutcome).
import semver from "semver";
import { checkTargetSyntax, versionOf } from "../context/inputs.js";
import { loadProject, type ProjectOptions } from "../context/project.js";
import { ExitCode, UsageError } from "../errors.js";
import type { NextStep } from "../evidence/next-step.js";
import { alignmentOutcome, type ManifestVersion, readAllVersions } from "./kinds/version-alignment.js";
import { gatesOfKind } from "./standalone.js";

/** `1.2.3` or `v1.2.3` (the tag typed where the version goes); nothing looser such as `=1.2` or ` 1.2.3`. */
function parseExpect(raw: string): string {
  const bare = raw.replace(/^v/, "");
  if (semver.valid(bare) !== bare) throw new UsageError(`--expect "${raw}" is not a version like 1.2.3`);
  return bare;
}

export interface VersionsReport {
  exitCode: number;
  expected: string | null;
  compared: "each-other" | "expected";
  summary: string;
  versions: ManifestVersion[];
  next: NextStep | null;
}

export async function versionsReport(
  options: ProjectOptions,
  flags: { expect?: string | undefined; releaseTarget?: string | undefined },
): Promise<VersionsReport> {
  const project = await loadProject(options);
  let expected = flags.expect === undefined ? undefined : parseExpect(flags.expect);
  if (flags.releaseTarget !== undefined) {
    checkTargetSyntax(flags.releaseTarget, project.config.tagPattern);
    const fromTag = versionOf(flags.releaseTarget);
    if (expected !== undefined && expected !== fromTag) {
      throw new UsageError(`--expect ${expected} contradicts --release-target ${flags.releaseTarget}`);
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
  // Without an expectation, the manifests must at least agree with each other: the first value read is
  // the reference, and every other must equal it.
  const reference = expected ?? versions.find((v) => v.value !== null)?.value ?? "";
  const outcome = alignmentOutcome(versions, reference);
  const exitCode = outcome.status === "pass" ? ExitCode.pass : ExitCode.blocked;
  return {
    exitCode,
    expected: reference || null,
    compared: expected === undefined ? "each-other" : "expected",
    summary: outcome.summary,
    versions,
    next:
      exitCode === ExitCode.pass
        ? null
        : {
            command: ["shipgate", "versions", ...(expected ? ["--expect", reference] : [])],
            reason: `set every manifest to ${reference || "one version"}, then check again`,
          },
  };
}
