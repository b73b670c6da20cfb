import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { assetName, matchAssetName } from "../../src/artifacts/asset-template.js";
import {
  findArchiveSums,
  formatSha256Sums,
  parseSha256Sums,
  Sha256SumsError,
  sha256OfFile,
  sumFor,
  sumsOfFiles,
} from "../../src/artifacts/sha256sums.js";
import { IncompleteError, UsageError } from "../../src/errors.js";
import { writeTarGz } from "../helpers/archives.js";
import { tempDir } from "../helpers/repo.js";

const A = "a".repeat(64);
const B = "b".repeat(64);
const hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const scratch = () => {
  const dir = tempDir("shipgate-sums-");
  dirs.push(dir);
  return dir;
};
const write = (dir: string, rel: string, content: string | Buffer) => {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
};

describe("parseSha256Sums", () => {
  it("reads text and binary mode lines, CRLF and a trailing newline, and lowercases digests", () => {
    const sums = parseSha256Sums(`${A}  one.tar.gz\r\n${B.toUpperCase()} *two words.tar.gz\r\n\r\n`);
    expect([...sums]).toEqual([
      ["one.tar.gz", A],
      ["two words.tar.gz", B],
    ]);
  });

  it("names the line of a malformed entry", () => {
    const bad = (text: string) => () => parseSha256Sums(text, "dist/sha256sums.txt");
    expect(bad(`${A}  ok.tar.gz\n${A.slice(1)}  short.tar.gz\n`)).toThrow(
      /^dist\/sha256sums\.txt:2: not a "<64 hex digits> {2}<file name>" line/,
    );
    expect(bad(`${A}  ok.tar.gz\n\n${B}  after-blank.tar.gz\n`)).toThrow(/sha256sums\.txt:2: /);
    expect(bad(`${A} ok.tar.gz\n`)).toThrow(/sha256sums\.txt:1: /);
    expect(bad(`${"g".repeat(64)}  x\n`)).toThrow(/sha256sums\.txt:1: /);
    try {
      bad(`${A}  a\n${B}  a\n`)();
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(Sha256SumsError);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Sha256SumsError).line).toBe(2);
      expect((err as Error).message).toBe("dist/sha256sums.txt:2: a is listed twice");
    }
    expect(bad("\n")).toThrow("dist/sha256sums.txt: no checksum lines");
  });

  it("round-trips through formatSha256Sums, escaped names included", () => {
    const sums = new Map([
      ["plain.tar.gz", A],
      ["odd\\name\n.txt", B],
    ]);
    const text = formatSha256Sums(sums);
    expect(text).toBe(`${A}  plain.tar.gz\n\\${B}  odd\\\\name\\n.txt\n`);
    expect(parseSha256Sums(text)).toEqual(sums);
  });

  it("finds a digest by exact name, else by a unique base name", () => {
    const sums = parseSha256Sums(`${A}  dist/x.tar.gz\n${B}  y.tar.gz\n${A}  a/z.tar.gz\n${B}  b/z.tar.gz\n`);
    expect(sumFor(sums, "x.tar.gz")).toBe(A);
    expect(sumFor(sums, "y.tar.gz")).toBe(B);
    expect(sumFor(sums, "z.tar.gz")).toBeUndefined();
    expect(sumFor(sums, "w.tar.gz")).toBeUndefined();
  });
});

describe("sumsOfFiles", () => {
  it("hashes files by streaming, keyed by base name", async () => {
    const dir = scratch();
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    const files = [write(dir, "a/one.bin", "one"), write(dir, "b/big.bin", big)];
    expect([...(await sumsOfFiles(files))]).toEqual([
      ["one.bin", hex("one")],
      ["big.bin", hex(big)],
    ]);
    expect(await sha256OfFile(files[0]!)).toBe(hex("one"));
  });

  it("refuses two files with one base name, and reports an unreadable one as incomplete", async () => {
    const dir = scratch();
    await expect(sumsOfFiles([write(dir, "a/x", "1"), write(dir, "b/x", "2")])).rejects.toThrow(
      /two files named x/,
    );
    await expect(sumsOfFiles([path.join(dir, "missing")])).rejects.toBeInstanceOf(IncompleteError);
  });
});

describe("findArchiveSums", () => {
  const template = "plasmite_{version}_{platform}.tar.gz";
  const platforms = ["darwin_amd64", "darwin_arm64", "linux_amd64"];

  /** Real archives, one per platform, each in its own artifact directory as a run download lays them out. */
  function buildArchives(dir: string, version: string, only = platforms): void {
    for (const platform of only) {
      const file = path.join(dir, `artifact-${platform}`, assetName(template, version, platform));
      mkdirSync(path.dirname(file), { recursive: true });
      writeTarGz(file, { "bin/plasmite": `plasmite ${platform}`, "include/plasmite.h": "" });
    }
  }

  it("uses the tree's sha256sums.txt, checked against the archives beside it", async () => {
    const dir = scratch();
    buildArchives(dir, "1.0.0");
    const names = platforms.map((p) => `artifact-${p}/${assetName(template, "1.0.0", p)}`);
    const real = await sumsOfFiles(names.map((n) => path.join(dir, n)));
    write(dir, "release-checksums/sha256sums.txt", formatSha256Sums(real));
    const found = await findArchiveSums(dir, template, "1.0.0", platforms);
    expect(found.origin).toBe("sha256sums.txt");
    expect(found.files).toEqual([path.join("release-checksums", "sha256sums.txt")]);
    expect(found.sums).toEqual(real);

    // a sums file that disagrees with an archive in the same tree is refused
    const lying = new Map(real);
    lying.set(assetName(template, "1.0.0", "linux_amd64"), A);
    write(dir, "release-checksums/sha256sums.txt", formatSha256Sums(lying));
    await expect(findArchiveSums(dir, template, "1.0.0", platforms)).rejects.toThrow(
      `artifact-linux_amd64/plasmite_1.0.0_linux_amd64.tar.gz has sha256 ${real.get("plasmite_1.0.0_linux_amd64.tar.gz")}, but sha256sums.txt lists ${A}`,
    );
  });

  it("merges several sums files and refuses two that disagree", async () => {
    const dir = scratch();
    write(dir, "x/sha256sums.txt", `${A}  plasmite_1.0.0_darwin_amd64.tar.gz\n`);
    write(
      dir,
      "y/sha256sums.txt",
      `${B}  plasmite_1.0.0_linux_amd64.tar.gz\n${A}  plasmite_1.0.0_darwin_amd64.tar.gz\n`,
    );
    const found = await findArchiveSums(dir, template, "1.0.0", platforms);
    expect([...found.sums]).toEqual([
      ["plasmite_1.0.0_darwin_amd64.tar.gz", A],
      ["plasmite_1.0.0_linux_amd64.tar.gz", B],
    ]);
    write(dir, "z/sha256sums.txt", `${B}  plasmite_1.0.0_darwin_amd64.tar.gz\n`);
    await expect(findArchiveSums(dir, template, "1.0.0", platforms)).rejects.toThrow(
      /sha256sums\.txt files disagree on plasmite_1\.0\.0_darwin_amd64\.tar\.gz/,
    );
  });

  it("computes the archives' sums when there is no sha256sums.txt", async () => {
    const dir = scratch();
    buildArchives(dir, "1.0.0");
    write(dir, "artifact-darwin_amd64/plasmite_0.9.0_darwin_amd64.tar.gz", "older build, not ours");
    const found = await findArchiveSums(dir, template, "1.0.0", platforms);
    expect(found.origin).toBe("computed");
    expect(found.files).toEqual(
      platforms.map((p) => path.join(`artifact-${p}`, `plasmite_1.0.0_${p}.tar.gz`)),
    );
    for (const p of platforms) {
      const expected = await sha256OfFile(path.join(dir, `artifact-${p}`, `plasmite_1.0.0_${p}.tar.gz`));
      expect(found.sums.get(`plasmite_1.0.0_${p}.tar.gz`)).toBe(expected);
    }
    expect(found.sums.size).toBe(3);
  });

  it("names the platforms whose archive is missing, and refuses differing copies of one archive", async () => {
    const dir = scratch();
    buildArchives(dir, "1.0.0", ["darwin_arm64"]);
    await expect(findArchiveSums(dir, template, "1.0.0", platforms)).rejects.toThrow(
      "no archive for darwin_amd64 (plasmite_1.0.0_darwin_amd64.tar.gz), linux_amd64 (plasmite_1.0.0_linux_amd64.tar.gz)",
    );
    await expect(findArchiveSums(dir, template, "1.0.0", platforms)).rejects.toBeInstanceOf(IncompleteError);
    write(dir, "copy/plasmite_1.0.0_darwin_arm64.tar.gz", "different bytes");
    await expect(findArchiveSums(dir, template, "1.0.0", ["darwin_arm64"])).rejects.toThrow(
      /plasmite_1\.0\.0_darwin_arm64\.tar\.gz appears 2 times with different contents/,
    );
    await expect(
      findArchiveSums(path.join(dir, "nope"), template, "1.0.0", platforms),
    ).rejects.toBeInstanceOf(IncompleteError);
  });
});

describe("asset templates", () => {
  it("expands and matches names, preferring the longest configured platform", () => {
    expect(assetName("plasmite_{version}_{platform}.tar.gz", "1.2.3", "linux_arm64")).toBe(
      "plasmite_1.2.3_linux_arm64.tar.gz",
    );
    expect(
      matchAssetName("p_{version}_{platform}.tgz", "p_1.2.3_linux_arm64.tgz", ["arm64", "linux_arm64"]),
    ).toEqual({
      platform: "linux_arm64",
      version: "1.2.3",
      known: true,
    });
    expect(
      matchAssetName("p_{version}_{platform}.tgz", "p_1.2.3_freebsd_amd64.tgz", ["linux_amd64"]),
    ).toEqual({
      platform: "freebsd_amd64",
      version: "1.2.3",
      known: false,
    });
    expect(matchAssetName("p_{version}_{platform}.tgz", "other.zip", ["linux_amd64"])).toBeNull();
    expect(() => assetName("p_{ver}.tgz", "1")).toThrow(UsageError);
    expect(() => matchAssetName("p_{version}.tgz", "p_1.tgz", [])).toThrow(/has no \{platform\}/);
  });
});
