// Build provenance: a run is publishable only when it belongs to the configured build workflow,
// concluded success, and its metadata artifact's metadata.json names the expected tag (v-prefixed),
// its version (the tag without v) and the tag's commit. Each violation is its own message with its
// remedy; what cannot be asked (API down, artifact missing, zip unreadable) is incomplete.
import path from "node:path";
import * as z from "zod";
import { errorMessage, IncompleteError } from "../errors.js";
import { runArtifactFiles } from "./artifacts.js";
import type { GitHubTarget } from "./client.js";
import { tagCommitOnGitHub } from "./repo.js";
import { getRun, type WorkflowRun } from "./runs.js";

export const METADATA_FILE = "metadata.json";

export const releaseMetadataSchema = z.object({
  tag: z.string().min(1),
  version: z.string().min(1),
  source_sha: z.string().regex(/^[0-9a-f]{40}$/, "a 40-hex commit sha"),
  source_ref: z.string().optional(),
});
export type ReleaseMetadata = z.infer<typeof releaseMetadataSchema>;

export interface ProvenanceProblem {
  /** workflow | conclusion | artifact | metadata | tag-prefix | version | expected-tag | source-sha */
  id: string;
  message: string;
}

export interface ProvenanceReport {
  runId: number;
  url: string;
  workflow: { name: string | null; path: string | null; expected: string };
  status: string | null;
  conclusion: string | null;
  event: string;
  headSha: string;
  headBranch: string | null;
  metadata: ReleaseMetadata | null;
  expectedTag: string | null;
  /** The commit the tag points at (given, or looked up on GitHub); null when unknown. */
  tagCommit: string | null;
  problems: ProvenanceProblem[];
}

export interface ProvenanceOptions {
  runId: number;
  buildWorkflow: string;
  metadataArtifact: string;
  expectTag?: string | undefined;
  /** The tag's commit when the caller knows it (the ledger); otherwise GitHub's refs/tags is asked. */
  tagCommit?: string | undefined;
}

const base = (file: string) => path.posix.basename(file);
const short = (sha: string) => sha.slice(0, 12);

function belongsToWorkflow(run: WorkflowRun, workflow: string): boolean | null {
  if (!run.path) return null;
  // A run's path may carry a ref suffix (".github/workflows/release.yml@refs/heads/main").
  return base(run.path.replace(/@.*$/, "")) === base(workflow);
}

/** Checks a run's provenance; throws IncompleteError when it cannot be decided. */
export async function verifyProvenance(
  gh: GitHubTarget,
  options: ProvenanceOptions,
): Promise<ProvenanceReport> {
  const { runId, buildWorkflow } = options;
  const run = await getRun(gh, runId);
  const problems: ProvenanceProblem[] = [];
  const report: ProvenanceReport = {
    runId,
    url: run.html_url,
    workflow: { name: run.name ?? null, path: run.path ?? null, expected: buildWorkflow },
    status: run.status,
    conclusion: run.conclusion,
    event: run.event,
    headSha: run.head_sha,
    headBranch: run.head_branch,
    metadata: null,
    expectedTag: options.expectTag ?? null,
    tagCommit: options.tagCommit ?? null,
    problems,
  };
  const belongs = belongsToWorkflow(run, buildWorkflow);
  if (belongs === null)
    throw new IncompleteError(`GitHub did not say which workflow run ${runId} belongs to (no path)`);
  if (!belongs) {
    problems.push({
      id: "workflow",
      message: `run ${runId} belongs to workflow "${run.name ?? "?"}" (${run.path}), not the build workflow ${buildWorkflow}: a build run id from another workflow — pass the id of a ${buildWorkflow} run (gh run list --workflow ${buildWorkflow})`,
    });
  }
  if (run.status !== "completed") {
    problems.push({
      id: "conclusion",
      message: `run ${runId} has not completed (status ${run.status}): only a finished, successful build is published — wait for it with shipgate build`,
    });
  } else if (run.conclusion !== "success") {
    problems.push({
      id: "conclusion",
      message: `run ${runId} concluded ${run.conclusion ?? "without a conclusion"}, not success: only a successful build is published`,
    });
  }

  // What cannot be read is incomplete on its own, and one more reason to refuse beside a violation.
  const undecided = (err: unknown, what: string) => {
    if (!(err instanceof IncompleteError) || problems.length === 0) throw err;
    problems.push({ id: what, message: `${what} could not be checked: ${errorMessage(err)}` });
  };

  let files: Map<string, Buffer> | undefined;
  try {
    files = (await runArtifactFiles(gh, runId, [options.metadataArtifact])).get(options.metadataArtifact);
  } catch (err) {
    undecided(err, "artifact");
  }
  if (files) report.metadata = readMetadata(files, runId, options.metadataArtifact, problems);
  const metadata = report.metadata;
  if (!metadata) return report;

  const { tag, version } = metadata;
  if (!tag.startsWith("v"))
    problems.push({ id: "tag-prefix", message: `metadata.json tag "${tag}" does not start with v` });
  const bare = tag.replace(/^v/, "");
  if (version !== bare)
    problems.push({
      id: "version",
      message: `metadata.json version "${version}" is not its tag ${tag} without the v ("${bare}"): provenance tag/version mismatch — the build's manifests disagree with its tag; do not publish it: align the versions and cut a new release (a release is never re-tagged)`,
    });
  if (options.expectTag !== undefined && tag !== options.expectTag)
    problems.push({
      id: "expected-tag",
      message: `metadata.json tag ${tag} is not the expected ${options.expectTag}: run ${runId} built another release — pass the build run of ${options.expectTag} (shipgate build --release-target ${options.expectTag} finds it)`,
    });

  const tagForCommit = options.expectTag ?? tag;
  // A run of another (or a malformed) tag is refused already; its commit is not looked up as well.
  const tagRefused = problems.some((p) => p.id === "expected-tag" || p.id === "tag-prefix");
  if (report.tagCommit === null && !tagRefused) {
    try {
      report.tagCommit = await tagCommitOnGitHub(gh, tagForCommit);
      if (report.tagCommit === null)
        throw new IncompleteError(
          `${gh.owner}/${gh.repo} has no tag ${tagForCommit}, so source_sha cannot be checked against its commit`,
        );
    } catch (err) {
      undecided(err, "source-sha");
    }
  }
  if (report.tagCommit !== null && metadata.source_sha !== report.tagCommit)
    problems.push({
      id: "source-sha",
      message: `metadata.json source_sha ${short(metadata.source_sha)} is not ${tagForCommit}'s commit ${short(report.tagCommit)}: run ${runId} built another commit than the tag`,
    });
  return report;
}

function readMetadata(
  files: Map<string, Buffer>,
  runId: number,
  artifact: string,
  problems: ProvenanceProblem[],
): ReleaseMetadata | null {
  const names = [...files.keys()];
  const name = names.find((n) => n === METADATA_FILE) ?? names.find((n) => base(n) === METADATA_FILE);
  if (!name) {
    problems.push({
      id: "metadata",
      message: `artifact ${artifact} of run ${runId} has no ${METADATA_FILE} (it holds: ${names.join(", ") || "nothing"})`,
    });
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse((files.get(name) as Buffer).toString("utf8"));
  } catch (err) {
    problems.push({
      id: "metadata",
      message: `${METADATA_FILE} of run ${runId} is malformed: not JSON (${errorMessage(err)})`,
    });
    return null;
  }
  const parsed = releaseMetadataSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? issue.path.join(".") : "(top level)";
    problems.push({
      id: "metadata",
      message: `${METADATA_FILE} of run ${runId} is malformed: ${at}: ${issue?.message} (expected tag, version, source_sha and optionally source_ref)`,
    });
    return null;
  }
  return parsed.data;
}

/** The summary lines `shipgate provenance` prints. */
export function provenanceLines(r: ProvenanceReport): string[] {
  const m = r.metadata;
  return [
    `run ${r.runId}: ${r.workflow.name ?? "?"} (${r.workflow.path ?? "?"}), ${r.status}${r.conclusion ? `/${r.conclusion}` : ""}, event ${r.event}`,
    `  ${r.url}`,
    `  head ${r.headSha}${r.headBranch ? ` (${r.headBranch})` : ""}`,
    m
      ? `  metadata: tag ${m.tag}, version ${m.version}, source_sha ${m.source_sha}${m.source_ref ? `, source_ref ${m.source_ref}` : ""}`
      : "  metadata: not read",
  ];
}
