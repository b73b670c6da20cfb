// The use-case behind `shipgate homebrew verify`: no ledger needed. The formula (a file, or the tap's
// through the contents API) is checked against sha256sums.txt (a file, or the release's): its version,
// every url's tag and file name, every sha256, and that its platforms are exactly the configured ones.
import { checkTargetSyntax, requireInput } from "../context/inputs.js";
import { loadProject, type ProjectOptions } from "../context/project.js";
import { ExitCode, IncompleteError } from "../errors.js";
import type { NextStep } from "../evidence/next-step.js";
import { githubFor } from "../github/client.js";
import { type FormulaProblem, inspectFormula } from "./formula.js";
import {
  formulaFromTap,
  formulaTarget,
  homebrewSettings,
  readInputFile,
  sumsFromFile,
  sumsFromRelease,
} from "./sources.js";

export interface HomebrewVerifyFlags {
  releaseTarget?: string | undefined;
  sha256sums?: string | undefined;
  formulaFile?: string | undefined;
}

export interface HomebrewVerifyReport {
  exitCode: number;
  tag: string;
  version: string;
  formula: string;
  sums: string;
  platforms: string[];
  /** Each url the formula holds, with the platform it serves and its sha256. */
  stanzas: { platform?: string | undefined; line: number; url: string; sha256?: string | undefined }[];
  problems: FormulaProblem[];
  next: NextStep | null;
}

export async function verifyHomebrew(
  options: ProjectOptions,
  flags: HomebrewVerifyFlags,
): Promise<HomebrewVerifyReport> {
  const project = await loadProject(options);
  const tag = requireInput(flags.releaseTarget, "--release-target");
  checkTargetSyntax(tag, project.config.tagPattern);
  const target = formulaTarget(project.config, tag);
  const github = (repo?: string) => githubFor(project.config.github, project.repoRoot, { repo });

  let formula: { text: Buffer; source: string };
  if (flags.formulaFile) {
    formula = { text: await readInputFile(flags.formulaFile, "--formula-file"), source: flags.formulaFile };
  } else {
    const hb = homebrewSettings(project.config, ["tapRepo", "formulaPath"]);
    const found = await formulaFromTap(await github(hb.tapRepo), hb.formulaPath);
    if (!found)
      throw new IncompleteError(
        `${hb.tapRepo} has no ${hb.formulaPath}`,
        "check homebrew.tapRepo and homebrew.formulaPath, or pass --formula-file",
      );
    formula = found;
  }

  let sums: Map<string, string>;
  let sumsSource: string;
  if (flags.sha256sums) {
    sums = await sumsFromFile(flags.sha256sums);
    sumsSource = flags.sha256sums;
  } else {
    const release = await sumsFromRelease(await github(), tag);
    if (!release.found)
      throw new IncompleteError(release.reason, "pass the build's sums with --sha256sums FILE");
    sums = release.sums;
    sumsSource = release.url;
  }

  const inspection = inspectFormula(formula.text, sums, target);
  const { problems } = inspection;
  const tapPath = project.config.homebrew?.tapPath;
  const fix = [
    "shipgate",
    "homebrew",
    "update",
    "--release-target",
    tag,
    ...(tapPath ? [] : ["--tap-path", "<tap checkout>"]),
    ...(flags.sha256sums ? ["--sha256sums", flags.sha256sums] : ["--build-run-id", "<build run id>"]),
  ];
  return {
    exitCode: problems.length > 0 ? ExitCode.blocked : ExitCode.pass,
    tag,
    version: target.version,
    formula: formula.source,
    sums: sumsSource,
    platforms: [...target.platforms],
    stanzas: inspection.stanzas.map((s) => ({
      platform: s.platform,
      line: s.url.line,
      url: s.resolvedUrl ?? s.url.value,
      sha256: s.sha256?.value,
    })),
    problems,
    next:
      problems.length > 0
        ? { command: fix, reason: `the formula does not match ${tag}: update it from the build's sums` }
        : null,
  };
}
