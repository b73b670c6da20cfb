import { describe, expect, it } from "vitest";
import { parseSha256Sums } from "../../src/artifacts/sha256sums.js";
import { platformTraits, verifyFormula } from "../../src/homebrew/formula.js";
import { asset, digest, PLATFORMS, plasmiteFormula, REPO, releaseUrl, sumsText, target } from "./fixtures.js";

const messages = (formula: string, sums: string, t = target("0.2.0")) =>
  verifyFormula(formula, parseSha256Sums(sums), t).map((p) => p.message);

describe("verifyFormula", () => {
  it("passes a formula that matches sha256sums.txt", () => {
    expect(messages(plasmiteFormula("0.2.0"), sumsText("0.2.0"))).toEqual([]);
    expect(messages(plasmiteFormula("0.2.0"), sumsText("0.2.0"), target("0.2.0", PLATFORMS, REPO))).toEqual(
      [],
    );
  });

  it("names the platform and line of a wrong hash", () => {
    const wrong = "f".repeat(64);
    const problems = verifyFormula(
      plasmiteFormula("0.2.0"),
      parseSha256Sums(sumsText("0.2.0", PLATFORMS, { linux_amd64: wrong })),
      target("0.2.0"),
    );
    expect(problems).toEqual([
      {
        message: `line 36: sha256 for linux_amd64 is ${digest("linux_amd64", "0.2.0")}, but sha256sums.txt lists ${wrong} for ${asset("0.2.0", "linux_amd64")}`,
        line: 36,
        platform: "linux_amd64",
        fixable: true,
      },
    ]);
  });

  it("names a formula still at the previous version: version line, every url's tag and file, every hash", () => {
    const found = messages(plasmiteFormula("0.1.0"), sumsText("0.2.0"));
    expect(found[0]).toBe("line 12: version is 0.1.0, expected 0.2.0");
    expect(found).toContain("line 22: url for darwin_arm64 downloads from tag v0.1.0, expected v0.2.0");
    expect(found).toContain(
      "line 22: url for darwin_arm64 names plasmite_0.1.0_darwin_arm64.tar.gz, expected plasmite_0.2.0_darwin_arm64.tar.gz",
    );
    expect(found.filter((m) => m.includes("sha256 for"))).toHaveLength(4);
    expect(found).toHaveLength(1 + 4 * 3);
  });

  it("names a url whose tag alone is stale, and one outside the configured repository", () => {
    const formula = plasmiteFormula("0.2.0", {
      url: {
        darwin_amd64: releaseUrl("0.2.0", "darwin_amd64", "v0.1.9"),
        linux_arm64: `https://github.com/someone/fork/releases/download/v0.2.0/${asset("0.2.0", "linux_arm64")}`,
      },
    });
    expect(messages(formula, sumsText("0.2.0"), target("0.2.0", PLATFORMS, REPO))).toEqual([
      "line 25: url for darwin_amd64 downloads from tag v0.1.9, expected v0.2.0",
      `line 32: url for linux_arm64 is not under https://github.com/${REPO}: https://github.com/someone/fork/releases/download/v0.2.0/${asset("0.2.0", "linux_arm64")}`,
    ]);
    // without a repository configured, any host's release path is accepted
    expect(messages(formula, sumsText("0.2.0"))).toEqual([
      "line 25: url for darwin_amd64 downloads from tag v0.1.9, expected v0.2.0",
    ]);
  });

  it("names a configured platform missing from the formula and a formula platform not configured", () => {
    const three = ["darwin_amd64", "darwin_arm64", "linux_amd64"];
    expect(messages(plasmiteFormula("0.2.0"), sumsText("0.2.0", three), target("0.2.0", three))).toEqual([
      "line 32: formula platform linux_arm64 is not configured (configured: darwin_amd64, darwin_arm64, linux_amd64)",
    ]);
    const five = [...PLATFORMS, "linux_riscv64"];
    expect(messages(plasmiteFormula("0.2.0"), sumsText("0.2.0", five), target("0.2.0", five))).toEqual([
      "platform linux_riscv64 has no url in the formula",
    ]);
  });

  it("names a url with no sha256 after it, and a sums file without the platform's entry", () => {
    const formula = plasmiteFormula("0.2.0", { sha256: { darwin_arm64: null } });
    expect(messages(formula, sumsText("0.2.0"))).toEqual([
      "line 22: url for darwin_arm64 has no sha256 after it",
    ]);
    const partialSums = sumsText("0.2.0", ["darwin_amd64", "darwin_arm64", "linux_amd64"]);
    expect(messages(plasmiteFormula("0.2.0"), partialSums)).toEqual([
      "sha256sums.txt has no entry for plasmite_0.2.0_linux_arm64.tar.gz (linux_arm64)",
    ]);
  });

  it("rejects the reference tap's placeholder hash", () => {
    const formula = plasmiteFormula("0.2.0", { sha256: { linux_arm64: "PLACEHOLDER_LINUX_ARM64_SHA256" } });
    expect(messages(formula, sumsText("0.2.0"))).toEqual([
      `line 33: sha256 for linux_arm64 is PLACEHOLDER_LINUX_ARM64_SHA256, but sha256sums.txt lists ${digest("linux_arm64", "0.2.0")} for plasmite_0.2.0_linux_arm64.tar.gz`,
    ]);
  });

  it("names duplicate platforms and urls sitting in the wrong block", () => {
    const swapped = plasmiteFormula("0.2.0", {
      url: { linux_amd64: releaseUrl("0.2.0", "darwin_amd64") },
      sha256: { linux_amd64: digest("darwin_amd64", "0.2.0") },
    });
    expect(messages(swapped, sumsText("0.2.0"))).toEqual([
      "line 35: url for darwin_amd64 sits in on_linux > else (of if Hardware::CPU.arm?), which selects Linux",
      "line 35: a second url for darwin_amd64 (first at line 25)",
      "platform linux_amd64 has no url in the formula",
    ]);
    const archSwap = plasmiteFormula("0.2.0", {
      url: {
        darwin_arm64: releaseUrl("0.2.0", "darwin_amd64"),
        darwin_amd64: releaseUrl("0.2.0", "darwin_arm64"),
      },
      sha256: {
        darwin_arm64: digest("darwin_amd64", "0.2.0"),
        darwin_amd64: digest("darwin_arm64", "0.2.0"),
      },
    });
    expect(messages(archSwap, sumsText("0.2.0"))).toEqual([
      "line 22: url for darwin_amd64 sits in on_macos > if Hardware::CPU.arm?, which selects ARM",
      "line 25: url for darwin_arm64 sits in on_macos > else (of if Hardware::CPU.arm?), which selects Intel",
    ]);
  });

  it("falls back to the block nesting when a file name does not fit the template", () => {
    const formula = plasmiteFormula("0.2.0", {
      url: {
        linux_amd64: "https://github.com/sandover/plasmite/releases/download/v0.2.0/plasmite-linux.tgz",
      },
    });
    expect(messages(formula, sumsText("0.2.0"))).toEqual([
      "line 35: url for linux_amd64 names plasmite-linux.tgz, expected plasmite_0.2.0_linux_amd64.tar.gz",
    ]);
    const flat = `class Plasmite < Formula\n  version "0.2.0"\n  url "https://h.invalid/plasmite.tgz"\n  sha256 "${"0".repeat(64)}"\nend\n`;
    expect(messages(flat, sumsText("0.2.0"), target("0.2.0", ["linux_amd64"]))).toEqual([
      "line 3: cannot tell which platform url https://h.invalid/plasmite.tgz (in the class body) is for: its file name does not fit plasmite_{version}_{platform}.tar.gz and its blocks name no configured platform",
      "platform linux_amd64 has no url in the formula",
    ]);
  });

  it("names a missing or doubled version line", () => {
    const noVersion = plasmiteFormula("0.2.0").replace('  version "0.2.0"\n', "");
    expect(messages(noVersion, sumsText("0.2.0"))).toEqual(['formula has no `version "…"` line']);
    const twice = plasmiteFormula("0.2.0").replace('  license "MIT"\n', '  version "0.2.0"\n');
    expect(messages(twice, sumsText("0.2.0"))).toEqual([
      "line 12: a second version statement (first at line 11)",
    ]);
  });

  it("resolves #{version} in urls from the formula's version", () => {
    const formula = plasmiteFormula("0.2.0").replaceAll(
      "/v0.2.0/plasmite_0.2.0_",
      "/v#{version}/plasmite_#{version}_",
    );
    expect(formula).toContain("#{version}_linux_amd64");
    expect(messages(formula, sumsText("0.2.0"))).toEqual([]);
  });

  it("handles any platform names and separate if blocks per architecture", () => {
    const platforms = ["Darwin_x86_64", "Darwin_arm64", "Linux_x86_64", "Linux_arm64"];
    const t = { version: "3.1.0", tag: "v3.1.0", template: "tool_{version}_{platform}.tar.gz", platforms };
    const url = (p: string) => `https://github.com/acme/tool/releases/download/v3.1.0/tool_3.1.0_${p}.tar.gz`;
    const block = (os: string, a: string, b: string) => `  ${os} do
    if Hardware::CPU.intel? && Hardware::CPU.is_64_bit?
      url "${url(a)}"
      sha256 "${digest(a, "3.1.0")}"
    end
    if Hardware::CPU.arm? && Hardware::CPU.is_64_bit?
      url "${url(b)}"
      sha256 "${digest(b, "3.1.0")}"
    end
  end`;
    const formula = `class Tool < Formula
  version "3.1.0"
${block("on_macos", "Darwin_x86_64", "Darwin_arm64")}
${block("on_linux", "Linux_x86_64", "Linux_arm64")}
end
`;
    const sums = parseSha256Sums(
      platforms.map((p) => `${digest(p, "3.1.0")}  tool_3.1.0_${p}.tar.gz\n`).join(""),
    );
    expect(verifyFormula(formula, sums, t)).toEqual([]);
    const swapped = formula.replace(url("Linux_arm64"), url("Linux_x86_64"));
    expect(verifyFormula(swapped, sums, t).map((p) => p.message)).toEqual([
      "line 19: url for Linux_x86_64 sits in on_linux > if Hardware::CPU.arm? && Hardware::CPU.is_64_bit?, which selects ARM",
      "line 19: a second url for Linux_x86_64 (first at line 15)",
      "platform Linux_arm64 has no url in the formula",
    ]);
  });

  it("classifies platform names", () => {
    expect(platformTraits("darwin_arm64")).toEqual({ os: "macos", arch: "arm" });
    expect(platformTraits("linux_x86_64")).toEqual({ os: "linux", arch: "intel" });
    expect(platformTraits("macos-aarch64")).toEqual({ os: "macos", arch: "arm" });
    expect(platformTraits("linux_riscv64")).toEqual({ os: "linux" });
    expect(platformTraits("universal")).toEqual({});
  });
});
