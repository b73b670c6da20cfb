// Tap alignment before a live publish (the runbook requires it before any registry publish): the tap's
// formula, read through GitHub's contents API, must verify against the build run's sha256sums.txt.
// Not configured: skipped, with the reason recorded. Cannot be decided: incomplete, never skipped.
import path from "node:path";
import { parseSha256Sums, SHA256SUMS_FILE, Sha256SumsError } from "../artifacts/sha256sums.js";
import type { ShipgateConfig } from "../config/schema.js";
import { IncompleteError } from "../errors.js";
import { runArtifactFiles } from "../github/artifacts.js";
import { type GitHubTarget, githubFor } from "../github/client.js";
import { fileContent } from "../github/repo.js";
import { verifyFormula } from "../homebrew/formula.js";

export interface TapCheck {
  status: "verified" | "skipped" | "fail";
  detail: string;
  /** Each way the formula disagrees with the build (status fail). */
  problems: string[];
}

export interface TapCheckOptions {
  config: ShipgateConfig;
  repoRoot: string;
  gh: GitHubTarget;
  /** The release tag (vX.Y.Z) and version (X.Y.Z). */
  tag: string;
  version: string;
  buildRunId: number;
  /** The command that rerun the publish once the tap is fixed. */
  rerun: string[];
}

/** Every sha256sums.txt in the run's artifacts, merged; two that disagree about a file are a failure. */
async function buildSums(
  gh: GitHubTarget,
  runId: number,
): Promise<{ sums: Map<string, string>; problems: string[] }> {
  const artifacts = await runArtifactFiles(gh, runId);
  const sums = new Map<string, string>();
  const problems: string[] = [];
  let found = 0;
  for (const [artifact, files] of artifacts) {
    for (const [file, bytes] of files) {
      if (path.posix.basename(file) !== SHA256SUMS_FILE) continue;
      found++;
      try {
        for (const [name, digest] of parseSha256Sums(bytes.toString("utf8"), `${artifact}/${file}`)) {
          const prior = sums.get(name);
          if (prior !== undefined && prior !== digest)
            problems.push(`the build's sums files disagree about ${name}`);
          sums.set(name, digest);
        }
      } catch (err) {
        if (!(err instanceof Sha256SumsError)) throw err;
        problems.push(`the build's ${artifact}/${file} is malformed: ${err.message}`);
      }
    }
  }
  if (found === 0)
    throw new IncompleteError(
      `build run ${runId} has no ${SHA256SUMS_FILE} in its artifacts (${[...artifacts.keys()].join(", ") || "none"}), so the tap formula cannot be checked`,
    );
  return { sums, problems };
}

export async function checkTap(options: TapCheckOptions): Promise<TapCheck> {
  const { config } = options;
  const brew = config.homebrew;
  if (!brew?.tapRepo || !brew.formulaPath)
    return {
      status: "skipped",
      detail:
        "homebrew is not configured (homebrew.tapRepo and homebrew.formulaPath): there is no tap to align",
      problems: [],
    };
  if (!brew.assetTemplate)
    throw new IncompleteError(
      "homebrew.assetTemplate is not set, so the tap formula's urls cannot be checked against the build",
      "set homebrew.assetTemplate, e.g. plasmite_{version}_{platform}.tar.gz",
    );
  const tap = await githubFor(config.github, options.repoRoot, { repo: brew.tapRepo });
  const formula = await fileContent(tap, brew.formulaPath);
  const remedy = `stale tap formula: update the tap (shipgate homebrew update --release-target ${options.tag}), then rerun (${options.rerun.join(" ")})`;
  if (!formula)
    return {
      status: "fail",
      detail: `${brew.tapRepo} has no ${brew.formulaPath}: ${remedy}`,
      problems: [`${brew.tapRepo} has no ${brew.formulaPath}`],
    };
  const { sums, problems: sumProblems } = await buildSums(options.gh, options.buildRunId);
  const problems = [
    ...sumProblems,
    ...verifyFormula(formula.content, sums, {
      version: options.version,
      tag: options.tag,
      template: brew.assetTemplate,
      platforms: brew.platforms,
      repoSlug: `${options.gh.owner}/${options.gh.repo}`,
    }).map((p) => p.message),
  ];
  if (problems.length > 0)
    return {
      status: "fail",
      detail: `${brew.tapRepo}/${brew.formulaPath} does not match build run ${options.buildRunId}'s ${SHA256SUMS_FILE}: ${problems.join("; ")} — ${remedy}`,
      problems,
    };
  return {
    status: "verified",
    detail: `${brew.tapRepo}/${brew.formulaPath} matches build run ${options.buildRunId}'s ${SHA256SUMS_FILE} for ${brew.platforms.join(", ")}`,
    problems: [],
  };
}
