// One file of a repository through the contents API (base64 in the answer, parsed before use): how the
// Homebrew tap's formula is read without a checkout.
import * as z from "zod";
import { IncompleteError } from "../errors.js";
import { parseAnswer } from "./artifacts.js";
import { type GitHubTarget, githubOrAbsent } from "./client.js";

const fileSchema = z.object({
  type: z.literal("file"),
  path: z.string(),
  sha: z.string(),
  encoding: z.string(),
  content: z.string(),
  html_url: z.string().nullable().optional(),
});

export interface RepoFile {
  path: string;
  /** Git blob id. */
  sha: string;
  content: Buffer;
  /** The API URL asked. */
  url: string;
}

/** The file at `path` (default branch unless `ref`), or null when the repository has no such file. */
export async function fetchRepoFile(
  gh: GitHubTarget,
  path: string,
  options: { ref?: string; signal?: AbortSignal } = {},
): Promise<RepoFile | null> {
  const slug = `${gh.owner}/${gh.repo}`;
  const what = `GET ${path} from ${slug}`;
  const answer = await githubOrAbsent(what, () =>
    gh.octokit.rest.repos.getContent({
      owner: gh.owner,
      repo: gh.repo,
      path,
      ...(options.ref ? { ref: options.ref } : {}),
      request: options.signal ? { signal: options.signal } : {},
    }),
  );
  if (answer === null) return null;
  if (Array.isArray(answer.data)) throw new IncompleteError(`${path} in ${slug} is a directory, not a file`);
  const file = parseAnswer(fileSchema, answer.data, what);
  // Files over 1 MB come back without content ("none"); a formula never is one.
  if (file.encoding !== "base64")
    throw new IncompleteError(`GitHub answered ${what} with ${file.encoding} content, not base64`);
  const url = `${answer.url}`;
  return { path: file.path, sha: file.sha, content: Buffer.from(file.content, "base64"), url };
}
