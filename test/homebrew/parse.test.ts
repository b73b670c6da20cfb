import { describe, expect, it } from "vitest";
import { evaluateString, parseFormula } from "../../src/homebrew/formula.js";
import { tokenize } from "../../src/homebrew/lexer.js";
import { digest, plasmiteFormula, releaseUrl } from "./fixtures.js";

const at = (bytes: Buffer, s: { start: number; end: number }) =>
  bytes.subarray(s.start, s.end).toString("utf8");

describe("parseFormula", () => {
  it("reads version and each url with its sha256, nesting and byte ranges in the reference layout", () => {
    const parsed = parseFormula(plasmiteFormula("0.1.0"));
    expect(parsed.problems).toEqual([]);
    expect(parsed.versions.map((v) => [v.value, v.line])).toEqual([["0.1.0", 12]]);
    expect(at(parsed.bytes, parsed.versions[0]!)).toBe("0.1.0");
    const summary = parsed.stanzas.map((s) => ({
      url: s.url.value,
      sha: s.sha256?.value,
      os: s.nesting.os,
      arch: s.nesting.arch,
      path: s.nesting.path.join(" > "),
      line: s.url.line,
    }));
    expect(summary).toEqual([
      {
        url: releaseUrl("0.1.0", "darwin_arm64"),
        sha: digest("darwin_arm64", "0.1.0"),
        os: "macos",
        arch: "arm",
        path: "on_macos > if Hardware::CPU.arm?",
        line: 22,
      },
      {
        url: releaseUrl("0.1.0", "darwin_amd64"),
        sha: digest("darwin_amd64", "0.1.0"),
        os: "macos",
        arch: "intel",
        path: "on_macos > else (of if Hardware::CPU.arm?)",
        line: 25,
      },
      {
        url: releaseUrl("0.1.0", "linux_arm64"),
        sha: digest("linux_arm64", "0.1.0"),
        os: "linux",
        arch: "arm",
        path: "on_linux > if Hardware::CPU.arm?",
        line: 32,
      },
      {
        url: releaseUrl("0.1.0", "linux_amd64"),
        sha: digest("linux_amd64", "0.1.0"),
        os: "linux",
        arch: "intel",
        path: "on_linux > else (of if Hardware::CPU.arm?)",
        line: 35,
      },
    ]);
    for (const s of parsed.stanzas) {
      expect(at(parsed.bytes, s.url)).toBe(s.url.value);
      expect(at(parsed.bytes, s.sha256!)).toBe(s.sha256!.value);
    }
  });

  it("gives byte offsets, not character offsets, past non-ASCII text", () => {
    const text = plasmiteFormula("0.1.0");
    const parsed = parseFormula(text);
    const url = parsed.stanzas[0]!.url;
    expect(text.indexOf(url.value)).toBeLessThan(url.start); // the em dash is 3 bytes, 1 UTF-16 unit
    expect(at(parsed.bytes, url)).toBe(url.value);
  });

  it("is not fooled by url/sha256 text in comments, heredocs, =begin blocks, strings, regexps or non-release blocks", () => {
    const text = `class Demo < Formula
  # url "https://example.invalid/comment.tar.gz"
=begin
  url "https://example.invalid/begin-block.tar.gz"
  sha256 "2222222222222222222222222222222222222222222222222222222222222222"
end
=end
  desc "a string that says url \\"x\\" # not a comment"
  version "1.0.0"
  url "https://example.invalid/real.tar.gz" # trailing url "comment"
  sha256 "3333333333333333333333333333333333333333333333333333333333333333"
  head "https://example.invalid/demo.git", branch: "main"

  resource "helper" do
    url "https://example.invalid/helper.tar.gz"
    sha256 "4444444444444444444444444444444444444444444444444444444444444444"
  end

  patch do
    url "https://example.invalid/fix.patch"
    sha256 "5555555555555555555555555555555555555555555555555555555555555555"
  end

  bottle do
    sha256 cellar: :any, arm64_sonoma: "6666666666666666666666666666666666666666666666666666666666666666"
  end

  def install
    system "make", "PREFIX=#{prefix}", %w[url sha256].join
    url = "https://example.invalid/local.tar.gz"
    (buildpath/"notes").write <<-NOTE
      url "https://example.invalid/heredoc.tar.gz"
      end
    NOTE
    ratio = 10 / 2
    matched = url =~ /url "[^"]*"/
    inreplace "Makefile", "/usr/local", prefix if OS.mac?
    ohai "done" unless quiet?
    begin
      system "true"
    end while false
  end
end
__END__
  url "https://example.invalid/data-section.tar.gz"
  sha256 "7777777777777777777777777777777777777777777777777777777777777777"
`;
    const parsed = parseFormula(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.versions.map((v) => v.value)).toEqual(["1.0.0"]);
    expect(parsed.stanzas.map((s) => [s.url.value, s.sha256?.value.slice(0, 4), s.url.line])).toEqual([
      ["https://example.invalid/real.tar.gz", "3333", 10],
    ]);
  });

  it("reads on_arm/on_intel blocks, intel? branches, unless, elsif and OS.mac? conditions", () => {
    const sha = (n: number) => String(n).repeat(64);
    const text = `class Demo < Formula
  version "2.0.0"
  on_macos do
    on_arm do
      url "https://h.invalid/a"
      sha256 "${sha(1)}"
    end
    on_intel do
      url "https://h.invalid/b"
      sha256 "${sha(2)}"
    end
  end
  on_linux do
    if Hardware::CPU.intel?
      url "https://h.invalid/c"
      sha256 "${sha(3)}"
    elsif Hardware::CPU.arm?
      url "https://h.invalid/d"
      sha256 "${sha(4)}"
    end
  end
  unless OS.mac?
    url "https://h.invalid/e"
    sha256 "${sha(5)}"
  end
  if OS.mac? && !Hardware::CPU.arm?
    url "https://h.invalid/f"
    sha256 "${sha(6)}"
  else
    url "https://h.invalid/g"
    sha256 "${sha(7)}"
  end
  on_linux do
    if Hardware::CPU.arm? && Hardware::CPU.is_64_bit?
      url "https://h.invalid/h"
      sha256 "${sha(8)}"
    else
      url "https://h.invalid/i"
      sha256 "${sha(9)}"
    end
    unless Hardware::CPU.intel?
      url "https://h.invalid/j"
      sha256 "${sha(1)}"
    end
    if !(Hardware::CPU.arm? && OS.mac?) || OS.linux?
      url "https://h.invalid/k"
      sha256 "${sha(2)}"
    end
  end
end
`;
    const parsed = parseFormula(text);
    expect(parsed.problems).toEqual([]);
    expect(
      parsed.stanzas.map((s) => [s.url.value.at(-1), s.nesting.os, s.nesting.arch, s.sha256?.value[0]]),
    ).toEqual([
      ["a", "macos", "arm", "1"],
      ["b", "macos", "intel", "2"],
      ["c", "linux", "intel", "3"],
      ["d", "linux", "arm", "4"],
      ["e", "linux", undefined, "5"],
      ["f", "macos", "intel", "6"],
      // the else of a compound condition says nothing
      ["g", undefined, undefined, "7"],
      // an unrecognised part of a conjunction narrows the branch; the recognised one still holds
      ["h", "linux", "arm", "8"],
      ["i", "linux", undefined, "9"],
      ["j", "linux", "arm", "1"],
      ["k", "linux", undefined, "2"],
    ]);
  });

  it("does not open a block for a modifier if, and reads one-line if/then/else", () => {
    const text = `class Demo < Formula
  version "1.0.0"
  url "https://h.invalid/arm" if Hardware::CPU.arm?
  sha256 "${"a".repeat(64)}"
  if OS.linux? then url "https://h.invalid/linux" else url "https://h.invalid/mac" end
  x = if Hardware::CPU.intel? then 1 else 2 end
end
`;
    const parsed = parseFormula(text);
    expect(parsed.problems).toEqual([]);
    expect(
      parsed.stanzas.map((s) => [s.url.value.split("/").at(-1), s.nesting.os, Boolean(s.sha256)]),
    ).toEqual([
      ["arm", undefined, true],
      ["linux", "linux", false],
      ["mac", "macos", false],
    ]);
  });

  it("pairs a sha256 only with the url before it in the same branch", () => {
    const text = `class Demo < Formula
  version "1.0.0"
  on_macos do
    if Hardware::CPU.arm?
      url "https://h.invalid/a"
    else
      sha256 "${"a".repeat(64)}"
    end
  end
  url "https://h.invalid/b"
  url "https://h.invalid/c"
  sha256 "${"c".repeat(64)}"
end
`;
    const parsed = parseFormula(text);
    expect(parsed.stanzas.map((s) => [s.url.value.at(-1), s.sha256?.value[0]])).toEqual([
      ["a", undefined],
      ["b", undefined],
      ["c", "c"],
    ]);
    expect(parsed.problems.map((p) => p.message)).toEqual(["line 7: sha256 follows no url in its block"]);
  });

  it("reports what it cannot follow: an unterminated string, a missing end, a non-literal url", () => {
    expect(
      parseFormula('class A < Formula\n  url "https://h.invalid/a\nend\n').problems.map((p) => p.message),
    ).toEqual(["line 2: unterminated string or literal", "line 1: class block has no end"]);
    expect(
      parseFormula('class A < Formula\n  on_macos do\n    version "1"\nend\n').problems.map((p) => p.message),
    ).toEqual(["line 1: class block has no end"]);
    expect(
      parseFormula(
        `class A < Formula\n  url BASE + "/a.tar.gz"\n  sha256 "${"a".repeat(64)}"\nend\n`,
      ).problems.map((p) => p.message),
    ).toEqual([
      "line 2: url is not given a plain string literal; shipgate cannot read or edit it",
      "line 3: sha256 follows no url in its block",
    ]);
    expect(parseFormula("class A < Formula\nend\nend\n").problems.map((p) => p.message)).toEqual([
      "line 3: unexpected end",
    ]);
  });

  it("keeps #{version} interpolation visible and evaluates only that", () => {
    const parsed = parseFormula(
      'class A < Formula\n  version "1.2.3"\n  url "https://h.invalid/v#{version}/a_#{ version }.tar.gz"\n  sha256 "x"\n  url "https://h.invalid/#{name}"\nend\n',
    );
    const [good, bad] = parsed.stanzas;
    expect(good!.url.interpolations).toEqual(["version", "version"]);
    expect(evaluateString(good!.url, "1.2.3")).toBe("https://h.invalid/v1.2.3/a_1.2.3.tar.gz");
    expect(evaluateString(bad!.url, "1.2.3")).toBeNull();
  });

  it("treats single-quoted values and parenthesised calls as plain literals", () => {
    const parsed = parseFormula(
      "class A < Formula\n  version('1.0')\n  url 'https://h.invalid/it''s'\nend\n",
    );
    expect(parsed.versions[0]!.value).toBe("1.0");
    expect(parsed.versions[0]!.quote).toBe("'");
    // 'a''b' is two adjacent literals: not something to edit by position
    expect(parsed.problems.map((p) => p.message)).toEqual([
      "line 3: url is not given a plain string literal; shipgate cannot read or edit it",
    ]);
  });
});

describe("tokenize", () => {
  it("tells division from a regexp and a heredoc from a shift", () => {
    const kinds = (src: string) =>
      tokenize(src)
        .tokens.filter((t) => t.kind !== "newline")
        .map((t) => `${t.kind}:${t.text}`);
    expect(kinds('(lib/"pkgconfig")')).toEqual([
      "punct:(",
      "word:lib",
      "punct:/",
      'string:"pkgconfig"',
      "punct:)",
    ]);
    expect(kinds("assert_match /a b/i, x")).toEqual([
      "word:assert_match",
      "string:/a b/i",
      "punct:,",
      "word:x",
    ]);
    expect(kinds("a << b")).toEqual(["word:a", "punct:<<", "word:b"]);
    expect(kinds('x = <<~EOS\n  body "\n  EOS\ny')).toEqual(["word:x", "punct:=", "string:<<~EOS", "word:y"]);
    expect(kinds("h = { key: :sym, 'q' => ?a }")).toEqual([
      "word:h",
      "punct:=",
      "punct:{",
      "label:key:",
      "symbol::sym",
      "punct:,",
      "string:'q'",
      "punct:=>",
      "string:?a",
      "punct:}",
    ]);
    expect(kinds('"a #{ "}" } b" c')).toEqual(['string:"a #{ "}" } b"', "word:c"]);
    expect(kinds("%w[a [b] c] d")).toEqual(["string:%w[a [b] c]", "word:d"]);
  });
});
