// The use-case behind `shipgate provenance --run-id N` without a ledger: check one build run's
// provenance against the project's config and say what follows.
import { loadProject, type ProjectOptions } from "../context/project.js";
import { ExitCode } from "../errors.js";
import type { NextStep } from "../evidence/next-step.js";
import { githubFor } from "../github/client.js";
import { type ProvenanceReport, verifyProvenance } from "../github/provenance.js";

export interface ProvenanceResult {
  exitCode: number;
  report: ProvenanceReport;
  next: NextStep | null;
}

export async function checkProvenance(
  options: ProjectOptions,
  flags: { runId: number; expectTag?: string | undefined },
): Promise<ProvenanceResult> {
  const project = await loadProject(options);
  const g = project.config.github;
  const report = await verifyProvenance(await githubFor(g, project.repoRoot), {
    runId: flags.runId,
    buildWorkflow: g.buildWorkflow,
    metadataArtifact: g.metadataArtifact,
    expectTag: flags.expectTag,
  });
  const ok = report.problems.length === 0;
  const tag = report.metadata?.tag;
  return {
    exitCode: ok ? ExitCode.pass : ExitCode.blocked,
    report,
    next:
      ok && tag
        ? {
            command: ["shipgate", "publish", "--release-target", tag, "--build-run-id", String(flags.runId)],
            reason: `run ${flags.runId} is a publishable build of ${tag} (a publish-only rerun may reuse it)`,
          }
        : null,
  };
}
