// Release asset names from a template such as `plasmite_{version}_{platform}.tar.gz`: expansion, and the
// reverse (which version and platform a file name stands for), shared by the tap and release checks.
import { UsageError } from "../errors.js";

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(["version", "platform"]);

/** Throws UsageError for a placeholder other than {version} and {platform}, or a missing {platform} when required. */
export function checkAssetTemplate(template: string, requirePlatform = true): void {
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(match[1]!))
      throw new UsageError(
        `asset template ${template}: unknown placeholder {${match[1]}}`,
        "use {version} and {platform}",
      );
  }
  if (requirePlatform && !template.includes("{platform}"))
    throw new UsageError(
      `asset template ${template} has no {platform}`,
      "e.g. plasmite_{version}_{platform}.tar.gz",
    );
}

export function assetName(template: string, version: string, platform = ""): string {
  checkAssetTemplate(template, false);
  return template.replaceAll("{version}", version).replaceAll("{platform}", platform);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function templateRegExp(template: string, platform?: string): RegExp {
  let groups = 0;
  const body = template
    .split(/(\{version\}|\{platform\})/)
    .map((part) => {
      if (part === "{version}") return groups++ === 0 ? "(?<version>.+?)" : "\\k<version>";
      if (part === "{platform}") return platform === undefined ? "(?<platform>.+)" : escapeRegExp(platform);
      return escapeRegExp(part);
    })
    .join("");
  return new RegExp(`^${body}$`);
}

export interface AssetMatch {
  platform: string;
  /** The version the file name carries; undefined when the template has no {version}. */
  version?: string;
  /** True when the platform is one of those given, false when only the template's shape matched. */
  known: boolean;
}

/**
 * Which platform a file name is the asset of. A configured platform is preferred (the longest that fits,
 * so `linux_arm64` wins over `arm64`); otherwise whatever the template's {platform} slot holds.
 */
export function matchAssetName(
  template: string,
  fileName: string,
  platforms: readonly string[],
): AssetMatch | null {
  checkAssetTemplate(template);
  const byLength = [...platforms].sort((a, b) => b.length - a.length);
  for (const platform of byLength) {
    const match = templateRegExp(template, platform).exec(fileName);
    if (match) return { platform, version: match.groups?.version, known: true };
  }
  const match = templateRegExp(template).exec(fileName);
  if (!match?.groups?.platform) return null;
  return { platform: match.groups.platform, version: match.groups.version, known: false };
}
