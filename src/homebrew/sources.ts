// Where a Homebrew check gets its inputs: the release target (template, platforms and repository from
// the config), the sums (a file, a build run's artifacts, or the GitHub release's sha256sums.txt) and
// the formula (a file, or the tap's file through the contents API).
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  type ArchiveSums,
  findArchiveSums,
  parseSha256Sums,
  SHA256SUMS_FILE,
} from "../artifacts/sha256sums.js";
import type { BaseConfig, HomebrewConfig } from "../config/base.js";
import { versionOf } from "../context/inputs.js";
import { errorMessage, IncompleteError, UsageError } from "../errors.js";
import { runArtifactFiles } from "../github/artifacts.js";
import type { GitHubTarget } from "../github/client.js";
import { fetchRepoFile } from "../github/contents.js";
import { downloadReleaseAsset, releaseByTag } from "../github/releases.js";
import type { FormulaTarget } from "./formula.js";

/** The homebrew settings a check needs, each missing one named (exit 2). */
export function homebrewSettings<K extends keyof HomebrewConfig>(
  config: BaseConfig,
  keys: K[],
): HomebrewConfig & Required<Pick<HomebrewConfig, K>> {
  const hb = config.homebrew;
  const missing = keys.filter((k) => hb?.[k] === undefined);
  if (!hb || missing.length > 0)
    throw new UsageError(
      `the config lacks ${missing.map((k) => `homebrew.${String(k)}`).join(", ")}`,
      "e.g. homebrew: { tapRepo: owner/homebrew-tap, formulaPath: Formula/tool.rb, tapPath: ../homebrew-tap, assetTemplate: 'tool_{version}_{platform}.tar.gz' }",
    );
  return hb as HomebrewConfig & Required<Pick<HomebrewConfig, K>>;
}

/** What the formula must say for `tag`; urls must point at github.repo's releases when it is set. */
export function formulaTarget(config: BaseConfig, tag: string): FormulaTarget {
  const hb = homebrewSettings(config, ["assetTemplate"]);
  return {
    version: versionOf(tag),
    tag,
    template: hb.assetTemplate,
    platforms: hb.platforms,
    ...(config.github.repo ? { repoSlug: config.github.repo } : {}),
  };
}

/** A local input file (--sha256sums, --formula-file): unreadable is a usage error (exit 2). */
export async function readInputFile(file: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new UsageError(`${flag} ${file} cannot be read: ${errorMessage(err)}`);
  }
}

export async function sumsFromFile(file: string): Promise<Map<string, string>> {
  const text = (await readInputFile(file, "--sha256sums")).toString("utf8");
  return parseSha256Sums(text, file);
}

/**
 * The sums of a build run's archives, found as the reference runbook finds them: every artifact is
 * downloaded, then its sha256sums.txt is read, or the `<template>` archives are hashed.
 */
export async function sumsFromBuildRun(
  gh: GitHubTarget,
  runId: string,
  target: FormulaTarget,
): Promise<ArchiveSums> {
  const id = Number(runId);
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`build run id "${runId}" is not a run id`);
  const artifacts = await runArtifactFiles(gh, id);
  if (artifacts.size === 0) throw new IncompleteError(`build run ${runId} has no artifacts`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipgate-build-artifacts-"));
  try {
    for (const [name, files] of artifacts) {
      for (const [rel, content] of files) {
        // readZipEntries already refused entries that could escape; the artifact name is checked here.
        const file = path.resolve(dir, name, rel);
        if (!file.startsWith(`${path.resolve(dir)}${path.sep}`))
          throw new IncompleteError(`artifact ${name} of run ${runId} names a path outside its directory`);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, content);
      }
    }
    return await findArchiveSums(dir, target.template, target.version, target.platforms);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type ReleaseSums =
  | { found: true; sums: Map<string, string>; url: string }
  | { found: false; reason: string; url: string };

/** The GitHub release's sha256sums.txt; not found (with why) when the release or the asset is missing. */
export async function sumsFromRelease(
  gh: GitHubTarget,
  tag: string,
  signal?: AbortSignal,
): Promise<ReleaseSums> {
  const release = await releaseByTag(gh, tag, signal);
  const url = `${gh.owner}/${gh.repo} release ${tag}`;
  if (!release)
    return { found: false, reason: `${gh.owner}/${gh.repo} has no published release ${tag}`, url };
  const asset = release.assets.find((a) => a.name === SHA256SUMS_FILE);
  if (!asset)
    return { found: false, reason: `release ${tag} has no ${SHA256SUMS_FILE} asset`, url: release.html_url };
  const bytes = await downloadReleaseAsset(gh, asset, signal);
  try {
    return {
      found: true,
      sums: parseSha256Sums(bytes.toString("utf8"), asset.browser_download_url),
      url: asset.browser_download_url,
    };
  } catch (err) {
    // A release's sums file that does not parse is a bad answer from the channel, not a usage error.
    throw new IncompleteError(`release ${tag}'s ${SHA256SUMS_FILE} is unreadable: ${errorMessage(err)}`);
  }
}

export interface TapFormula {
  text: Buffer;
  /** Where it was read: a file path, or the tap repository and path. */
  source: string;
  url?: string;
}

/** The tap's formula through the contents API (homebrew.tapRepo / formulaPath); null when absent. */
export async function formulaFromTap(
  gh: GitHubTarget,
  formulaPath: string,
  signal?: AbortSignal,
): Promise<TapFormula | null> {
  const file = await fetchRepoFile(gh, formulaPath, signal ? { signal } : {});
  if (!file) return null;
  return { text: file.content, source: `${gh.owner}/${gh.repo}:${formulaPath}`, url: file.url };
}
