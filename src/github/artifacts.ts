// Artifacts of a workflow run: listed through the Actions API (every answer parsed before use), and
// downloaded as zips read in memory. Used by provenance (the metadata artifact) and by the Homebrew
// update (the build's sha256sums.txt or archives).
import * as z from "zod";
import { readZipEntries } from "../artifacts/zip-read.js";
import { IncompleteError } from "../errors.js";
import { rememberedBytes } from "../memo.js";
import { parseAnswer } from "./answer.js";
import { type GitHubTarget, github, targetKey } from "./client.js";

export { parseAnswer } from "./answer.js";

const artifactSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  size_in_bytes: z.number().int().min(0),
  expired: z.boolean(),
});
export type RunArtifact = z.infer<typeof artifactSchema>;
const artifactListSchema = z.object({ total_count: z.number().int(), artifacts: z.array(artifactSchema) });

export async function listRunArtifacts(gh: GitHubTarget, runId: number): Promise<RunArtifact[]> {
  const what = `GET artifacts of run ${runId}`;
  const { data } = await github(
    what,
    () =>
      gh.octokit.rest.actions.listWorkflowRunArtifacts({
        owner: gh.owner,
        repo: gh.repo,
        run_id: runId,
        per_page: 100,
      }),
    { missing: `run ${runId} of ${gh.owner}/${gh.repo}` },
  );
  return parseAnswer(artifactListSchema, data, what).artifacts;
}

/**
 * The artifact's zip, downloaded (GitHub answers with a redirect to the storage URL). An artifact's
 * content never changes, so one invocation downloads it once (provenance, the tap check and the
 * Homebrew update read the same build run).
 */
export function downloadArtifact(gh: GitHubTarget, artifact: RunArtifact): Promise<Buffer> {
  if (artifact.expired)
    return Promise.reject(new IncompleteError(`artifact ${artifact.name} (${artifact.id}) has expired`));
  return rememberedBytes(`${targetKey(gh)}/actions/artifacts/${artifact.id}/zip`, () =>
    fetchArtifact(gh, artifact),
  );
}

async function fetchArtifact(gh: GitHubTarget, artifact: RunArtifact): Promise<Buffer> {
  const what = `GET the zip of artifact ${artifact.name} (${artifact.id})`;
  const { data } = await github(
    what,
    () =>
      gh.octokit.rest.actions.downloadArtifact({
        owner: gh.owner,
        repo: gh.repo,
        artifact_id: artifact.id,
        archive_format: "zip",
      }),
    { missing: `artifact ${artifact.name} (${artifact.id})` },
  );
  if (!(data instanceof ArrayBuffer) && !Buffer.isBuffer(data))
    throw new IncompleteError(`GitHub answered ${what} with something other than bytes`);
  const bytes = Buffer.from(data as ArrayBuffer);
  if (bytes.length === 0) throw new IncompleteError(`GitHub answered ${what} with an empty body`);
  return bytes;
}

/** The files of the named artifacts of a run (all artifacts when `names` is omitted), by artifact name. */
export async function runArtifactFiles(
  gh: GitHubTarget,
  runId: number,
  names?: string[],
): Promise<Map<string, Map<string, Buffer>>> {
  const artifacts = await listRunArtifacts(gh, runId);
  const wanted = names ? artifacts.filter((a) => names.includes(a.name)) : artifacts;
  const missing = (names ?? []).filter((n) => !artifacts.some((a) => a.name === n));
  if (missing.length > 0) {
    throw new IncompleteError(
      `run ${runId} has no artifact named ${missing.join(", ")} (it has: ${artifacts.map((a) => a.name).join(", ") || "none"})`,
    );
  }
  const out = new Map<string, Map<string, Buffer>>();
  for (const artifact of wanted) {
    const zip = await downloadArtifact(gh, artifact);
    try {
      out.set(artifact.name, await readZipEntries(zip, `artifact ${artifact.name}`));
    } catch (err) {
      throw new IncompleteError(
        `artifact ${artifact.name} of run ${runId} is unreadable: ${(err as Error).message}`,
      );
    }
  }
  return out;
}
