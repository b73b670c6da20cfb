// Test fixtures: formulae in the reference project's tap layout (on_macos/on_linux with arm/intel
// branches, four platforms), and sha256sums.txt text for a release.
import { createHash } from "node:crypto";
import { formatSha256Sums } from "../../src/artifacts/sha256sums.js";
import type { FormulaTarget } from "../../src/homebrew/formula.js";

export const TEMPLATE = "plasmite_{version}_{platform}.tar.gz";
export const PLATFORMS = ["darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64"];
export const REPO = "sandover/plasmite";

/** A stable, distinct digest per platform and version, standing in for a real archive's. */
export function digest(platform: string, version: string): string {
  return createHash("sha256").update(`${platform}@${version}`).digest("hex");
}

export function asset(version: string, platform: string): string {
  return `plasmite_${version}_${platform}.tar.gz`;
}

export function releaseUrl(version: string, platform: string, tag = `v${version}`): string {
  return `https://github.com/${REPO}/releases/download/${tag}/${asset(version, platform)}`;
}

/** sha256sums.txt for the release, as the build writes it; `omit`/`override` bend it for a test. */
export function sumsText(
  version: string,
  platforms: readonly string[] = PLATFORMS,
  override: Record<string, string> = {},
): string {
  const entries = platforms.map(
    (p) => [asset(version, p), override[p] ?? digest(p, version)] as [string, string],
  );
  // The build also checksums its other assets; those lines must not disturb the formula checks.
  entries.push([`plasmite-sdk_${version}.zip`, digest("sdk", version)]);
  return formatSha256Sums(new Map(entries));
}

export function target(
  version: string,
  platforms: readonly string[] = PLATFORMS,
  repoSlug?: string,
): FormulaTarget {
  return { version, tag: `v${version}`, template: TEMPLATE, platforms, ...(repoSlug ? { repoSlug } : {}) };
}

export interface FormulaOptions {
  /** Per-platform url and sha256 overrides; `sha256: null` drops that sha256 line. */
  url?: Partial<Record<string, string>>;
  sha256?: Partial<Record<string, string | null>>;
}

/**
 * The reference layout: four platforms, on_macos/on_linux blocks with `if Hardware::CPU.arm?` branches,
 * plus the parts an edit must leave alone (comments that mention url/sha256, livecheck, install, a
 * heredoc with url-looking text, a test block) and a non-ASCII description.
 */
export function plasmiteFormula(version: string, options: FormulaOptions = {}): string {
  const stanza = (platform: string, indent: string) => {
    const url = options.url?.[platform] ?? releaseUrl(version, platform);
    const sha =
      options.sha256?.[platform] === undefined ? digest(platform, version) : options.sha256[platform];
    const lines = [`${indent}url "${url}"`];
    if (sha !== null) lines.push(`${indent}sha256 "${sha}"`);
    return lines.join("\n");
  };
  return `# typed: false
# frozen_string_literal: true

# Updated by the release runbook from the build's sha256sums.txt. A hand edit such as
#   url "https://github.com/sandover/plasmite/releases/download/v0.0.1/plasmite_0.0.1_darwin_arm64.tar.gz"
#   sha256 "0000000000000000000000000000000000000000000000000000000000000000"
# must change both lines together.
class Plasmite < Formula
  desc "Plasmite CLI and C ABI SDK — persistent message pools"
  homepage "https://github.com/sandover/plasmite"
  license "MIT"
  version "${version}"
  depends_on "pkgconf" => :test

  livecheck do
    url :stable
    strategy :github_latest
  end

  on_macos do
    if Hardware::CPU.arm?
${stanza("darwin_arm64", "      ")}
    else
${stanza("darwin_amd64", "      ")}
    end
  end

  on_linux do
    if Hardware::CPU.arm?
${stanza("linux_arm64", "      ")}
    else
${stanza("linux_amd64", "      ")}
    end
  end

  def install
    bin.install "bin/plasmite"
    bin.install "bin/pls"
    include.install "include/plasmite.h"
    (lib/"pkgconfig").install "lib/pkgconfig/plasmite.pc"
    if OS.mac?
      lib.install "lib/libplasmite.dylib"
    else
      lib.install "lib/libplasmite.so"
    end
    lib.install "lib/libplasmite.a" if File.exist?("lib/libplasmite.a")
  end

  def caveats
    <<~EOS
      Older releases were published as
        url "https://example.invalid/plasmite_0.0.1_linux_amd64.tar.gz"
        sha256 "1111111111111111111111111111111111111111111111111111111111111111"
      end
    EOS
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/plasmite --version")
    pc_version = shell_output("PKG_CONFIG_PATH=#{lib}/pkgconfig pkg-config --modversion plasmite").strip
    assert_equal version.to_s, pc_version
    assert_match(/url "[^"]+"/, 'url "x"')
  end
end
`;
}
