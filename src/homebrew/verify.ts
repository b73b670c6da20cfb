// Checks a parsed formula against a release: its version, every url's tag and file name, every sha256
// against sha256sums.txt, and that the formula's platforms are exactly the configured ones.
import { assetName, checkAssetTemplate, matchAssetName } from "../artifacts/asset-template.js";
import { SHA256SUMS_FILE, type Sha256Sums, sumFor } from "../artifacts/sha256sums.js";
import {
  type Arch,
  evaluateString,
  type FormulaProblem,
  type Os,
  type ParsedFormula,
  parseFormula,
  problem,
  type UrlStanza,
} from "./parse.js";

export interface FormulaTarget {
  /** The release version, without `v` (X.Y.Z). */
  version: string;
  /** The release tag (vX.Y.Z): the url's `/releases/download/<tag>/` segment. */
  tag: string;
  /** Asset name template, e.g. `plasmite_{version}_{platform}.tar.gz`. */
  template: string;
  /** Every platform the formula must serve, e.g. darwin_amd64, darwin_arm64, linux_amd64. */
  platforms: readonly string[];
  /** owner/repo: when set, each url must be https://github.com/owner/repo/releases/download/…. */
  repoSlug?: string;
}

export interface LocatedStanza extends UrlStanza {
  /** The url with `#{version}` resolved against the formula's version; undefined when it cannot be. */
  resolvedUrl?: string;
  /** The configured platform the stanza serves, when it could be told. */
  platform?: string;
}

export interface FormulaInspection {
  parsed: ParsedFormula;
  stanzas: LocatedStanza[];
  /** Sorted by line; empty when the formula matches the release. */
  problems: FormulaProblem[];
}

/** What a platform name says about the machine: `darwin_arm64` is macOS on ARM. Unknown parts stay unset. */
export function platformTraits(platform: string): { os?: Os; arch?: Arch } {
  const name = platform.toLowerCase();
  const part = (re: string) => new RegExp(`(^|[_.-])(${re})($|[_.-])`).test(name);
  const os = part("darwin|macos|mac|osx|apple") ? "macos" : part("linux") ? "linux" : undefined;
  const arch = part("arm64|aarch64|arm") ? "arm" : part("amd64|x86_64|x64|intel") ? "intel" : undefined;
  return { ...(os ? { os } : {}), ...(arch ? { arch } : {}) };
}

const TRAIT_NAMES: Record<Os | Arch, string> = { macos: "macOS", linux: "Linux", arm: "ARM", intel: "Intel" };

const lastSegment = (url: string) => {
  const pathPart = url.split(/[?#]/)[0]!;
  const segment = pathPart.slice(pathPart.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** Where a release download url's parts are: `…/releases/download/<tag>/<file>`; null when it is not one. */
export function releaseUrlParts(
  url: string,
): { owner: string; repo: string; host: string; tag: string; file: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const segments = parsed.pathname.split("/");
  const k = segments.length - 4;
  if (k < 1 || segments[k] !== "releases" || segments[k + 1] !== "download") return null;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return {
    host: parsed.origin,
    owner: k === 3 ? decode(segments[1]!) : "",
    repo: k === 3 ? decode(segments[2]!) : "",
    tag: decode(segments[k + 2]!),
    file: decode(segments[k + 3]!),
  };
}

/** Assigns each url its platform, from its file name and, failing that, its block nesting; cross-checks both. */
function locate(
  parsed: ParsedFormula,
  target: FormulaTarget,
): { stanzas: LocatedStanza[]; problems: FormulaProblem[] } {
  const problems: FormulaProblem[] = [];
  const version = parsed.versions.length === 1 ? evaluateString(parsed.versions[0]!, undefined) : null;
  const stanzas = parsed.stanzas.map((stanza): LocatedStanza => {
    const line = stanza.url.line;
    const resolvedUrl = evaluateString(stanza.url, version ?? undefined);
    if (resolvedUrl === null) {
      problems.push(
        problem(
          line,
          `url ${stanza.url.value} interpolates something other than a single \`version\``,
          false,
        ),
      );
      return { ...stanza };
    }
    const { nesting } = stanza;
    const where = nesting.path.length > 0 ? nesting.path.join(" > ") : "the class body";
    const fromName = matchAssetName(target.template, lastSegment(resolvedUrl), target.platforms);
    const fitsNesting = (platform: string) => {
      const traits = platformTraits(platform);
      return traits.os === nesting.os && traits.arch === nesting.arch;
    };
    const byNesting = nesting.os && nesting.arch ? target.platforms.filter(fitsNesting) : [];
    const platform = fromName?.platform ?? (byNesting.length === 1 ? byNesting[0] : undefined);
    if (platform === undefined) {
      problems.push(
        problem(
          line,
          `cannot tell which platform url ${resolvedUrl} (in ${where}) is for: its file name does not fit ${target.template} and its blocks name no configured platform`,
          false,
        ),
      );
      return { ...stanza, resolvedUrl };
    }
    if (fromName && !fromName.known)
      problems.push(
        problem(
          line,
          `formula platform ${platform} is not configured (configured: ${target.platforms.join(", ")})`,
          false,
          platform,
        ),
      );
    if (nesting.contradictory)
      problems.push(
        problem(line, `url for ${platform} sits in ${where}, a branch that never runs`, false, platform),
      );
    const traits = platformTraits(platform);
    for (const dim of ["os", "arch"] as const) {
      const said = nesting[dim];
      if (said !== undefined && traits[dim] !== undefined && said !== traits[dim])
        problems.push(
          problem(
            line,
            `url for ${platform} sits in ${where}, which selects ${TRAIT_NAMES[said]}`,
            false,
            platform,
          ),
        );
    }
    return { ...stanza, resolvedUrl, platform };
  });
  return { stanzas, problems };
}

/** Every way the formula differs from the release; parsing, locating and comparing in one pass. */
export function inspectFormula(
  formula: string | Uint8Array | ParsedFormula,
  sums: Sha256Sums,
  target: FormulaTarget,
): FormulaInspection {
  checkAssetTemplate(target.template);
  const parsed = isParsed(formula) ? formula : parseFormula(formula);
  const { stanzas, problems: located } = locate(parsed, target);
  const problems = [...parsed.problems, ...located];

  if (parsed.versions.length === 0)
    problems.push(problem(undefined, 'formula has no `version "…"` line', false));
  parsed.versions.slice(1).forEach((extra) => {
    problems.push(
      problem(extra.line, `a second version statement (first at line ${parsed.versions[0]!.line})`, false),
    );
  });
  const version = parsed.versions[0];
  if (version && parsed.versions.length === 1) {
    if (version.interpolations.length > 0)
      problems.push(problem(version.line, `version ${version.value} is not a plain string`, false));
    else if (version.value !== target.version)
      problems.push(problem(version.line, `version is ${version.value}, expected ${target.version}`, true));
  }

  const seen = new Map<string, number>();
  for (const stanza of stanzas) {
    const { platform } = stanza;
    if (platform === undefined || !target.platforms.includes(platform)) continue;
    const line = stanza.url.line;
    const first = seen.get(platform);
    if (first !== undefined) {
      problems.push(problem(line, `a second url for ${platform} (first at line ${first})`, false, platform));
      continue;
    }
    seen.set(platform, line);
    const expected = assetName(target.template, target.version, platform);
    if (stanza.resolvedUrl !== undefined)
      problems.push(...urlProblems(stanza.resolvedUrl, line, platform, expected, target));
    const sha = stanza.sha256;
    const digest = sumFor(sums, expected);
    if (!sha) problems.push(problem(line, `url for ${platform} has no sha256 after it`, false, platform));
    else if (sha.interpolations.length > 0)
      problems.push(problem(sha.line, `sha256 for ${platform} is not a plain string`, false, platform));
    if (digest === undefined)
      problems.push(
        problem(undefined, `${SHA256SUMS_FILE} has no entry for ${expected} (${platform})`, false, platform),
      );
    else if (sha && sha.interpolations.length === 0 && sha.value !== digest)
      problems.push(
        problem(
          sha.line,
          `sha256 for ${platform} is ${sha.value}, but ${SHA256SUMS_FILE} lists ${digest} for ${expected}`,
          true,
          platform,
        ),
      );
  }
  for (const platform of target.platforms)
    if (!seen.has(platform))
      problems.push(problem(undefined, `platform ${platform} has no url in the formula`, false, platform));

  problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  return { parsed, stanzas, problems };
}

function urlProblems(
  url: string,
  line: number,
  platform: string,
  expected: string,
  target: FormulaTarget,
): FormulaProblem[] {
  const parts = releaseUrlParts(url);
  if (!parts)
    return [
      problem(
        line,
        `url for ${platform} is not a release download url (…/releases/download/${target.tag}/${expected}): ${url}`,
        target.repoSlug !== undefined,
        platform,
      ),
    ];
  const out: FormulaProblem[] = [];
  if (target.repoSlug !== undefined) {
    const slug = `${parts.owner}/${parts.repo}`.toLowerCase();
    if (parts.host !== "https://github.com" || slug !== target.repoSlug.toLowerCase())
      out.push(
        problem(
          line,
          `url for ${platform} is not under https://github.com/${target.repoSlug}: ${url}`,
          true,
          platform,
        ),
      );
  }
  if (parts.tag !== target.tag)
    out.push(
      problem(
        line,
        `url for ${platform} downloads from tag ${parts.tag}, expected ${target.tag}`,
        true,
        platform,
      ),
    );
  if (parts.file !== expected)
    out.push(problem(line, `url for ${platform} names ${parts.file}, expected ${expected}`, true, platform));
  return out;
}

function isParsed(formula: string | Uint8Array | ParsedFormula): formula is ParsedFormula {
  return typeof formula === "object" && "stanzas" in formula && "bytes" in formula;
}

/** The formula's differences from the release, each naming its line and platform; empty means it passes. */
export function verifyFormula(
  formula: string | Uint8Array | ParsedFormula,
  sums: Sha256Sums,
  target: FormulaTarget,
): FormulaProblem[] {
  return inspectFormula(formula, sums, target).problems;
}
