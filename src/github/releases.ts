// GitHub releases as the delivery checks see them: a release by tag (a draft is looked for separately,
// since GitHub does not attach drafts to their tag), and an asset's bytes through the API.
import * as z from "zod";
import { IncompleteError } from "../errors.js";
import { rememberedBytes } from "../memo.js";
import { parseAnswer } from "./artifacts.js";
import { type GitHubTarget, github, githubOrAbsent, targetKey } from "./client.js";

const assetSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  state: z.string(),
  size: z.number().int().min(0),
  browser_download_url: z.string(),
});
export type ReleaseAsset = z.infer<typeof assetSchema>;

const releaseSchema = z.object({
  id: z.number().int(),
  tag_name: z.string(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  html_url: z.string(),
  assets: z.array(assetSchema),
});
export type Release = z.infer<typeof releaseSchema>;

const request = (signal?: AbortSignal) => (signal ? { request: { signal } } : {});

/** The published release for `tag`, or null when there is none (a draft is not found this way). */
export async function releaseByTag(
  gh: GitHubTarget,
  tag: string,
  signal?: AbortSignal,
): Promise<Release | null> {
  const what = `GET the release for ${tag} of ${gh.owner}/${gh.repo}`;
  const answer = await githubOrAbsent(what, () =>
    gh.octokit.rest.repos.getReleaseByTag({ owner: gh.owner, repo: gh.repo, tag, ...request(signal) }),
  );
  return answer === null ? null : parseAnswer(releaseSchema, answer.data, what);
}

/** A draft release for `tag` among the newest releases (drafts are only listed, never found by tag). */
export async function draftRelease(
  gh: GitHubTarget,
  tag: string,
  signal?: AbortSignal,
): Promise<Release | null> {
  const what = `GET the releases of ${gh.owner}/${gh.repo}`;
  const { data } = await github(what, () =>
    gh.octokit.rest.repos.listReleases({ owner: gh.owner, repo: gh.repo, per_page: 100, ...request(signal) }),
  );
  const releases = parseAnswer(z.array(releaseSchema), data, what);
  return releases.find((r) => r.draft && r.tag_name === tag) ?? null;
}

/**
 * The asset's bytes, downloaded through the API (GitHub answers with a redirect to its storage). An
 * asset's content never changes under its id (a replaced asset gets a new one), so one invocation
 * downloads it once (the release channel and the Homebrew check read the same sums file).
 */
export function downloadReleaseAsset(
  gh: GitHubTarget,
  asset: ReleaseAsset,
  signal?: AbortSignal,
): Promise<Buffer> {
  // Kept only when complete: an asset still uploading, or bytes short of its listed size, are asked again.
  return rememberedBytes(
    `${targetKey(gh)}/releases/assets/${asset.id}`,
    () => fetchAsset(gh, asset, signal),
    { final: (bytes) => asset.state === "uploaded" && bytes.length === asset.size, signal },
  );
}

async function fetchAsset(gh: GitHubTarget, asset: ReleaseAsset, signal?: AbortSignal): Promise<Buffer> {
  const what = `GET release asset ${asset.name} (${asset.id})`;
  const { data } = await github(what, () =>
    gh.octokit.rest.repos.getReleaseAsset({
      owner: gh.owner,
      repo: gh.repo,
      asset_id: asset.id,
      headers: { accept: "application/octet-stream" },
      ...request(signal),
    }),
  );
  const raw = data as unknown;
  if (!(raw instanceof ArrayBuffer) && !Buffer.isBuffer(raw))
    throw new IncompleteError(`GitHub answered ${what} with something other than bytes`);
  return Buffer.from(raw as ArrayBuffer);
}
