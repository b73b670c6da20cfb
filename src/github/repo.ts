// Repository facts asked of GitHub's API, each answer schema-parsed: where a tag points, which Actions
// secrets exist (names only), and a file's content at a ref (e.g. a Homebrew tap's formula).
import * as z from "zod";
import { IncompleteError } from "../errors.js";
import { parseAnswer } from "./answer.js";
import { type GitHubTarget, github, githubOrNull } from "./client.js";

const refSchema = z.object({
  ref: z.string(),
  object: z.object({ sha: z.string(), type: z.string() }),
});
const tagObjectSchema = z.object({ object: z.object({ sha: z.string(), type: z.string() }) });

/** The commit `tag` points at on GitHub (peeling annotated tags), or null when GitHub has no such tag. */
export async function tagCommitOnGitHub(gh: GitHubTarget, tag: string): Promise<string | null> {
  const what = `GET refs/tags/${tag}`;
  const answer = await githubOrNull(what, () =>
    gh.octokit.rest.git.getRef({ owner: gh.owner, repo: gh.repo, ref: `tags/${tag}` }),
  );
  if (!answer) return null;
  let target = parseAnswer(refSchema, answer.data, what).object;
  // An annotated tag names a tag object; a tag of a tag is peeled until a commit is reached.
  for (let depth = 0; target.type === "tag"; depth++) {
    if (depth > 5) throw new IncompleteError(`refs/tags/${tag} does not resolve to a commit`);
    const tagWhat = `GET tag object ${target.sha}`;
    const { data } = await github(
      tagWhat,
      () => gh.octokit.rest.git.getTag({ owner: gh.owner, repo: gh.repo, tag_sha: target.sha }),
      { missing: `tag object ${target.sha} of ${tag}` },
    );
    target = parseAnswer(tagObjectSchema, data, tagWhat).object;
  }
  return target.type === "commit" ? target.sha : null;
}

const secretListSchema = z.object({
  total_count: z.number().int(),
  secrets: z.array(z.object({ name: z.string() })),
});

/** The names of the repository's Actions secrets (GitHub never returns their values). */
export async function actionsSecretNames(gh: GitHubTarget): Promise<string[]> {
  const what = `GET the Actions secrets of ${gh.owner}/${gh.repo}`;
  const names: string[] = [];
  for (let page = 1; page <= 10; page++) {
    const { data } = await github(
      what,
      () => gh.octokit.rest.actions.listRepoSecrets({ owner: gh.owner, repo: gh.repo, per_page: 100, page }),
      { missing: `repository ${gh.owner}/${gh.repo}` },
    );
    const list = parseAnswer(secretListSchema, data, what);
    names.push(...list.secrets.map((s) => s.name));
    if (names.length >= list.total_count || list.secrets.length === 0) break;
  }
  return names;
}

const fileSchema = z.object({
  type: z.literal("file"),
  path: z.string(),
  sha: z.string(),
  encoding: z.literal("base64"),
  content: z.string(),
});

/** A file's bytes at `ref` (default branch when omitted) through the contents API; null when absent. */
export async function fileContent(
  gh: GitHubTarget,
  filePath: string,
  ref?: string,
): Promise<{ content: Buffer; sha: string } | null> {
  const what = `GET ${gh.owner}/${gh.repo}/contents/${filePath}${ref ? `?ref=${ref}` : ""}`;
  const answer = await githubOrNull(what, () =>
    gh.octokit.rest.repos.getContent({
      owner: gh.owner,
      repo: gh.repo,
      path: filePath,
      ...(ref ? { ref } : {}),
    }),
  );
  if (!answer) return null;
  const file = parseAnswer(fileSchema, answer.data, what);
  return { content: Buffer.from(file.content.replace(/\s+/g, ""), "base64"), sha: file.sha };
}

const repositorySchema = z.object({ default_branch: z.string().min(1) });

/** The repository's default branch (where `gh workflow run` dispatches by default). */
export async function defaultBranch(gh: GitHubTarget): Promise<string> {
  const what = `GET ${gh.owner}/${gh.repo}`;
  const { data } = await github(what, () => gh.octokit.rest.repos.get({ owner: gh.owner, repo: gh.repo }), {
    missing: `repository ${gh.owner}/${gh.repo}`,
  });
  return parseAnswer(repositorySchema, data, what).default_branch;
}
