import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { crc32, gzipSync } from "node:zlib";
import * as tar from "tar";
import { afterEach, describe, expect, it } from "vitest";
import yazl from "yazl";
import { isUnsafeEntryPath, listArchive, unsafeReason } from "../../src/artifacts/archive.js";
import { expandGlobs } from "../../src/artifacts/glob.js";
import { writeTarGz, writeZip } from "../helpers/archives.js";
import { tempDir } from "../helpers/repo.js";

/** A gzip'd tar of raw headers, so a hardlink entry can name any target. */
function writeRawTar(file: string, entries: { path: string; type: "File" | "Link"; linkpath?: string }[]) {
  const blocks = entries.map((e) => {
    const header = Buffer.alloc(512);
    new tar.Header({ ...e, mode: 0o644, size: 0, mtime: new Date(0) }).encode(header, 0);
    return header;
  });
  writeFileSync(file, gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)])));
}

async function writeZipWithSymlink(file: string, links: Record<string, string>): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from("MIT"), "pkg/LICENSE", { mtime: new Date(0) });
  zip.addEmptyDirectory("pkg/bin/", { mtime: new Date(0) });
  for (const [name, target] of Object.entries(links))
    zip.addBuffer(Buffer.from(target), name, { mtime: new Date(0), mode: 0o120777 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  writeFileSync(file, Buffer.concat(chunks));
}

/**
 * A one-entry stored zip whose central directory carries an Info-ZIP Unicode Path field (0x7075)
 * naming something else than the raw name: yazl cannot write that field, so the bytes are laid out here.
 */
function writeZipWithUnicodePath(file: string, rawName: string, unicodeName: string): void {
  const name = Buffer.from(rawName);
  const unicode = Buffer.from(unicodeName);
  const extra = Buffer.alloc(4 + 5 + unicode.length);
  extra.writeUInt16LE(0x7075, 0);
  extra.writeUInt16LE(5 + unicode.length, 2);
  extra.writeUInt8(1, 4);
  extra.writeUInt32LE(crc32(name), 5);
  unicode.copy(extra, 9);
  const data = Buffer.from("x");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt16LE(extra.length, 30);
  const cdOffset = local.length + name.length + data.length;
  const cd = Buffer.concat([central, name, extra]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  writeFileSync(file, Buffer.concat([local, name, data, cd, end]));
}

describe("archive listing", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists tar.gz and zip entries and flags absolute and `..` names without extracting", async () => {
    dir = tempDir();
    const tgz = path.join(dir, "evil.tgz");
    writeTarGz(tgz, { "package/LICENSE": "x", "../evil": "y", "/etc/passwd": "z" });
    const tarListing = await listArchive(tgz);
    expect(tarListing.format).toBe("tar.gz");
    expect(tarListing.entries).toEqual([
      { path: "package/LICENSE", type: "file" },
      { path: "../evil", type: "file" },
      { path: "/etc/passwd", type: "file" },
    ]);
    expect(tarListing.unsafe).toEqual([
      { path: "../evil", reason: "`..` in path" },
      { path: "/etc/passwd", reason: "absolute path" },
    ]);

    const whl = path.join(dir, "evil-1.0-py3-none-any.whl");
    await writeZip(whl, { "evil/__init__.py": "", "../evil": "x", "/etc/passwd": "y" });
    const zipListing = await listArchive(whl);
    expect(zipListing.format).toBe("zip");
    expect(zipListing.entries.map((e) => e.path)).toEqual(["evil/__init__.py", "../evil", "/etc/passwd"]);
    expect(zipListing.unsafe).toEqual([
      { path: "../evil", reason: "`..` in path" },
      { path: "/etc/passwd", reason: "absolute path" },
    ]);
    // Nothing was written next to the archives, nor above them.
    expect(expandGlobs(dir, ["**"])).toEqual(["evil-1.0-py3-none-any.whl", "evil.tgz"]);
  });

  it("reports links that escape the archive, and accepts links that stay inside", async () => {
    dir = tempDir();
    const src = path.join(dir, "src");
    mkdirSync(path.join(src, "sdk/bin"), { recursive: true });
    mkdirSync(path.join(src, "sdk/lib"), { recursive: true });
    writeFileSync(path.join(src, "sdk/bin/plasmite"), "#!/bin/sh\n");
    symlinkSync("plasmite", path.join(src, "sdk/bin/pls"));
    symlinkSync("../bin/plasmite", path.join(src, "sdk/lib/tool"));
    symlinkSync("../../../etc", path.join(src, "sdk/lib/up"));
    symlinkSync("/etc/shadow", path.join(src, "sdk/lib/abs"));
    const sdk = path.join(dir, "sdk.tar.gz");
    await tar.create({ gzip: true, file: sdk, cwd: src, portable: true }, ["sdk"]);
    const listing = await listArchive(sdk);
    expect(listing.entries).toContainEqual({ path: "sdk/bin/", type: "directory" });
    expect(listing.entries).toContainEqual({ path: "sdk/bin/pls", type: "symlink", linkTarget: "plasmite" });
    expect(listing.unsafe).toEqual(
      expect.arrayContaining([
        { path: "sdk/lib/up", reason: "symlink escaping the archive: ../../../etc" },
        { path: "sdk/lib/abs", reason: "symlink to absolute path /etc/shadow" },
      ]),
    );
    expect(listing.unsafe).toHaveLength(2);

    const links = path.join(dir, "links.tgz");
    writeRawTar(links, [
      { path: "a/file", type: "File" },
      { path: "a/copy", type: "Link", linkpath: "a/file" },
      { path: "a/escape", type: "Link", linkpath: "../outside" },
    ]);
    expect((await listArchive(links)).unsafe).toEqual([
      { path: "a/escape", reason: "hardlink escaping the archive: ../outside" },
    ]);

    const zip = path.join(dir, "links.zip");
    await writeZipWithSymlink(zip, { "pkg/bin/ok": "../LICENSE", "pkg/bin/bad": "../../../../etc/passwd" });
    const zipListing = await listArchive(zip);
    expect(zipListing.entries).toContainEqual({ path: "pkg/bin/", type: "directory" });
    expect(zipListing.entries).toContainEqual({
      path: "pkg/bin/ok",
      type: "symlink",
      linkTarget: "../LICENSE",
    });
    expect(zipListing.unsafe).toEqual([
      { path: "pkg/bin/bad", reason: "symlink escaping the archive: ../../../../etc/passwd" },
    ]);
    // Still nothing extracted: the only files are the ones this test wrote.
    expect(expandGlobs(dir, ["*"])).toEqual(["links.tgz", "links.zip", "sdk.tar.gz"]);
  });

  it("reports a zip name smuggled through the Unicode Path field", async () => {
    dir = tempDir();
    const zip = path.join(dir, "smuggle.zip");
    writeZipWithUnicodePath(zip, "pkg/readme.txt", "../../evil");
    const listing = await listArchive(zip);
    expect(listing.entries.map((e) => e.path)).toEqual(["pkg/readme.txt", "../../evil"]);
    expect(listing.unsafe).toEqual([{ path: "../../evil", reason: "`..` in path" }]);
  });

  it("rejects missing, corrupt, truncated, empty and unknown archives with a clear error", async () => {
    dir = tempDir();
    const at = (name: string) => path.join(dir, name);
    writeFileSync(at("bad.tar.gz"), "not gzip at all");
    writeFileSync(at("bad.zip"), "PK not really");
    writeFileSync(at("empty.tgz"), "");
    writeTarGz(at("whole.tgz"), { "package/LICENSE": "x".repeat(20_000) });
    const whole = readFileSync(at("whole.tgz"));
    writeFileSync(at("cut.tgz"), whole.subarray(0, Math.floor(whole.length / 2)));
    await writeZip(at("whole.whl"), { "a/LICENSE": "x" });
    const wheel = readFileSync(at("whole.whl"));
    writeFileSync(at("cut.whl"), wheel.subarray(0, wheel.length - 30));

    await expect(listArchive(at("bad.tar.gz"))).rejects.toThrow(/bad\.tar\.gz: .*tar archive/);
    await expect(listArchive(at("bad.zip"))).rejects.toThrow(/bad\.zip: unreadable zip archive/);
    await expect(listArchive(at("empty.tgz"))).rejects.toThrow(/empty\.tgz: .*tar archive/);
    await expect(listArchive(at("cut.tgz"))).rejects.toThrow(/cut\.tgz: .*tar archive/);
    await expect(listArchive(at("cut.whl"))).rejects.toThrow(/cut\.whl: unreadable zip archive/);
    await expect(listArchive(at("gone.whl"))).rejects.toThrow(
      /gone\.whl: unreadable zip archive: file not found/,
    );
    await expect(listArchive(at("gone.tgz"))).rejects.toThrow(
      /gone\.tgz: unreadable tar archive: file not found/,
    );
    await expect(listArchive(at("notes.txt"))).rejects.toThrow(/not a \.tar\.gz/);
  });

  it.each([
    ["a/b", false],
    ["a/../b", true],
    ["..", true],
    ["/x", true],
    ["C:\\x", true],
    ["a\\..\\b", true],
    ["a..b/c", false],
  ])("judges the path %s unsafe: %s", (name, unsafe) => {
    expect(isUnsafeEntryPath(name)).toBe(unsafe);
    expect(unsafeReason({ path: name, type: "file" }) !== null).toBe(unsafe);
  });
});

describe("expandGlobs", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("matches from each glob's base, dot directories included, node_modules and .git skipped", () => {
    dir = tempDir();
    for (const f of [
      "dist/a.whl",
      "dist/sub/b.whl",
      ".scratch/x.tar.gz",
      "node_modules/c/d.tgz",
      ".git/e.tgz",
      "f.tgz",
    ]) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), "");
    }
    expect(expandGlobs(dir, ["dist/*.whl"])).toEqual(["dist/a.whl"]);
    expect(expandGlobs(dir, ["dist/**/*.whl", ".scratch/*.tar.gz"])).toEqual([
      ".scratch/x.tar.gz",
      "dist/a.whl",
      "dist/sub/b.whl",
    ]);
    expect(expandGlobs(dir, ["**/*.tgz"])).toEqual(["f.tgz"]);
    expect(expandGlobs(dir, ["missing/*.whl"])).toEqual([]);
    // A literal path and a `./` prefix name the same files as the plain form.
    expect(expandGlobs(dir, ["dist/sub/b.whl", "./f.tgz", "dist/none.whl"])).toEqual([
      "dist/sub/b.whl",
      "f.tgz",
    ]);
  });
});
