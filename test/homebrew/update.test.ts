import { describe, expect, it } from "vitest";
import { parseSha256Sums } from "../../src/artifacts/sha256sums.js";
import { FormulaUpdateError, updateFormula, verifyFormula } from "../../src/homebrew/formula.js";
import { asset, digest, PLATFORMS, plasmiteFormula, REPO, releaseUrl, sumsText, target } from "./fixtures.js";

const sums = (version: string, platforms = PLATFORMS) => parseSha256Sums(sumsText(version, platforms));

/** Every line that differs, as [line number, before, after]; the texts must have as many lines. */
function lineDiff(before: string, after: string): [number, string, string][] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[i + 1, line, b[i]!] as [number, string, string]]));
}

describe("updateFormula", () => {
  it("rewrites version, urls and sha256 values only; the result verifies", () => {
    const before = plasmiteFormula("0.1.0");
    const { formula: after, changed, changes } = updateFormula(before, sums("0.2.0"), target("0.2.0"));
    expect(changed).toBe(true);
    expect(verifyFormula(after, sums("0.2.0"), target("0.2.0"))).toEqual([]);

    const expected: [number, string, string][] = [[12, '  version "0.1.0"', '  version "0.2.0"']];
    const lines: Record<string, [number, number]> = {
      darwin_arm64: [22, 23],
      darwin_amd64: [25, 26],
      linux_arm64: [32, 33],
      linux_amd64: [35, 36],
    };
    for (const [platform, [urlLine, shaLine]] of Object.entries(lines)) {
      expected.push(
        [
          urlLine,
          `      url "${releaseUrl("0.1.0", platform)}"`,
          `      url "${releaseUrl("0.2.0", platform)}"`,
        ],
        [
          shaLine,
          `      sha256 "${digest(platform, "0.1.0")}"`,
          `      sha256 "${digest(platform, "0.2.0")}"`,
        ],
      );
    }
    expect(lineDiff(before, after)).toEqual(expected.sort((x, y) => x[0] - y[0]));
    // the comment's url, the heredoc's url and sha256, and the livecheck url stay as they were
    expect(after).toContain(
      '#   url "https://github.com/sandover/plasmite/releases/download/v0.0.1/plasmite_0.0.1_darwin_arm64.tar.gz"',
    );
    expect(after).toContain('    url "https://example.invalid/plasmite_0.0.1_linux_amd64.tar.gz"');
    expect(changes).toHaveLength(9);
    expect(changes[0]).toEqual({ line: 12, field: "version", from: "0.1.0", to: "0.2.0" });
    expect(changes[1]).toEqual({
      line: 22,
      field: "url",
      platform: "darwin_arm64",
      from: releaseUrl("0.1.0", "darwin_arm64"),
      to: releaseUrl("0.2.0", "darwin_arm64"),
    });
  });

  it("is idempotent: an updated formula comes back identical and unchanged", () => {
    const once = updateFormula(plasmiteFormula("0.1.0"), sums("0.2.0"), target("0.2.0")).formula;
    const twice = updateFormula(once, sums("0.2.0"), target("0.2.0"));
    expect(twice).toEqual({ formula: once, changed: false, changes: [] });
    expect(once).toBe(plasmiteFormula("0.2.0"));
  });

  it("keeps CRLF line endings and every byte outside the values, non-UTF-8 bytes included", () => {
    const crlf = plasmiteFormula("0.1.0").replaceAll("\n", "\r\n");
    const stray = Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0d, 0x0a]); // "# \xff\xfe\r\n": not valid UTF-8
    const input = Buffer.concat([stray, Buffer.from(crlf, "utf8"), stray]);
    const { formula } = updateFormula(input, sums("0.2.0"), target("0.2.0"));
    expect(Buffer.isBuffer(formula)).toBe(true);
    expect(formula.subarray(0, stray.length)).toEqual(stray);
    const updated = Buffer.from(plasmiteFormula("0.2.0").replaceAll("\n", "\r\n"), "utf8");
    const expected = Buffer.concat([stray, updated, stray]);
    expect(formula.equals(expected)).toBe(true);
    const text = formula.toString("latin1");
    expect(text.match(/\r\n/g)?.length).toBe(text.match(/\n/g)?.length);
  });

  it("moves only the tag of a url whose file name was right, keeping a url's host and query", () => {
    const before = plasmiteFormula("0.2.0", {
      url: { darwin_amd64: `${releaseUrl("0.2.0", "darwin_amd64", "v0.1.9")}?raw=1` },
    });
    const { formula, changes } = updateFormula(before, sums("0.2.0"), target("0.2.0"));
    expect(changes).toEqual([
      {
        line: 25,
        field: "url",
        platform: "darwin_amd64",
        from: `${releaseUrl("0.2.0", "darwin_amd64", "v0.1.9")}?raw=1`,
        to: `${releaseUrl("0.2.0", "darwin_amd64")}?raw=1`,
      },
    ]);
    expect(verifyFormula(formula, sums("0.2.0"), target("0.2.0"))).toEqual([]);
  });

  it("writes the configured repository's url over a foreign one when a repository is set", () => {
    const foreign = `https://example.invalid/mirror/${asset("0.1.0", "linux_amd64")}`;
    const before = plasmiteFormula("0.1.0", { url: { linux_amd64: foreign } });
    expect(() => updateFormula(before, sums("0.2.0"), target("0.2.0"))).toThrow(
      /line 35: url for linux_amd64 is not a release download url/,
    );
    const { formula } = updateFormula(before, sums("0.2.0"), target("0.2.0", PLATFORMS, REPO));
    expect(formula).toContain(`url "${releaseUrl("0.2.0", "linux_amd64")}"`);
  });

  it("leaves a #{version} url as written when it already yields the new url", () => {
    const before = plasmiteFormula("0.1.0").replaceAll(
      "/v0.1.0/plasmite_0.1.0_",
      "/v#{version}/plasmite_#{version}_",
    );
    const { formula, changes } = updateFormula(before, sums("0.2.0"), target("0.2.0"));
    expect(changes.map((c) => c.field).sort()).toEqual(["sha256", "sha256", "sha256", "sha256", "version"]);
    expect(formula).toContain(
      'url "https://github.com/sandover/plasmite/releases/download/v#{version}/plasmite_#{version}_darwin_arm64.tar.gz"',
    );
    expect(verifyFormula(formula, sums("0.2.0"), target("0.2.0"))).toEqual([]);
  });

  it("updates the on_arm/on_intel layout and single-quoted values", () => {
    const before = `class Plasmite < Formula
  version '0.1.0'
  on_macos do
    on_intel do
      url '${releaseUrl("0.1.0", "darwin_amd64")}'
      sha256 '${digest("darwin_amd64", "0.1.0")}'
    end
    on_arm do
      url '${releaseUrl("0.1.0", "darwin_arm64")}'
      sha256 '${digest("darwin_arm64", "0.1.0")}'
    end
  end
end
`;
    const two = ["darwin_amd64", "darwin_arm64"];
    const { formula } = updateFormula(before, sums("0.2.0", two), target("0.2.0", two));
    expect(lineDiff(before, formula).map(([n]) => n)).toEqual([2, 5, 6, 9, 10]);
    expect(formula).toContain(`      sha256 '${digest("darwin_arm64", "0.2.0")}'`);
  });

  it("refuses, writing nothing, when the sums lack a platform", () => {
    const partial = sums("0.2.0", ["darwin_amd64", "darwin_arm64", "linux_amd64"]);
    const attempt = () => updateFormula(plasmiteFormula("0.1.0"), partial, target("0.2.0"));
    expect(attempt).toThrow(FormulaUpdateError);
    expect(attempt).toThrow(
      "formula not updated: sha256sums.txt has no entry for plasmite_0.2.0_linux_arm64.tar.gz (linux_arm64)",
    );
    try {
      attempt();
    } catch (err) {
      expect((err as FormulaUpdateError).exitCode).toBe(1);
      expect((err as FormulaUpdateError).problems.map((p) => p.platform)).toEqual(["linux_arm64"]);
    }
  });

  it("refuses a formula whose shape a value rewrite cannot fix", () => {
    const noSha = plasmiteFormula("0.1.0", { sha256: { darwin_amd64: null } });
    expect(() => updateFormula(noSha, sums("0.2.0"), target("0.2.0"))).toThrow(
      "formula not updated: line 25: url for darwin_amd64 has no sha256 after it",
    );
    const five = [...PLATFORMS, "linux_riscv64"];
    expect(() => updateFormula(plasmiteFormula("0.1.0"), sums("0.2.0", five), target("0.2.0", five))).toThrow(
      "formula not updated: platform linux_riscv64 has no url in the formula",
    );
    const three = ["darwin_amd64", "darwin_arm64", "linux_amd64"];
    expect(() =>
      updateFormula(plasmiteFormula("0.1.0"), sums("0.2.0", three), target("0.2.0", three)),
    ).toThrow(/formula platform linux_arm64 is not configured/);
    expect(() =>
      updateFormula('class A < Formula\n  version "0.1.0"\n', sums("0.2.0"), target("0.2.0")),
    ).toThrow(/class block has no end/);
  });

  it("escapes a value for the literal it is written into", () => {
    const before = `class A < Formula\n  version "0.1.0"\n  url "${releaseUrl("0.1.0", "linux_amd64")}"\n  sha256 "${digest("linux_amd64", "0.1.0")}"\nend\n`;
    const odd = 'v2-"#{x}"';
    const oddSums = parseSha256Sums(`${digest("linux_amd64", "x")}  plasmite_${odd}_linux_amd64.tar.gz\n`);
    const t = {
      version: odd,
      tag: "v2",
      template: "plasmite_{version}_{platform}.tar.gz",
      platforms: ["linux_amd64"],
    };
    const { formula } = updateFormula(before, oddSums, t);
    expect(formula).toContain('  version "v2-\\"\\#{x}\\""\n');
    expect(verifyFormula(formula, oddSums, t)).toEqual([]);
  });
});
