import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isUnsafeEntryPath, listArchive } from "../../src/artifacts/archive.js";
import { expandGlobs } from "../../src/artifacts/glob.js";
import { writeTarGz, writeZip } from "../helpers/archives.js";
import { tempDir } from "../helpers/repo.js";

describe("archive listing", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists tar.gz and zip entries and flags absolute and `..` names without extracting", async () => {
    dir = tempDir();
    const tgz = path.join(dir, "evil.tgz");
    writeTarGz(tgz, { "package/LICENSE": "x", "../evil": "y", "/etc/passwd": "z" });
    const tarListing = await listArchive(tgz);
    expect(tarListing.entries).toEqual(["package/LICENSE", "../evil", "/etc/passwd"]);
    expect(tarListing.unsafe).toEqual(["../evil", "/etc/passwd"]);

    const whl = path.join(dir, "evil-1.0-py3-none-any.whl");
    await writeZip(whl, { "evil/__init__.py": "", "../../outside.py": "x", "/abs/path": "y" });
    const zipListing = await listArchive(whl);
    expect(zipListing.entries).toEqual(["evil/__init__.py", "../../outside.py", "/abs/path"]);
    expect(zipListing.unsafe).toEqual(["../../outside.py", "/abs/path"]);
    // Nothing was written next to the archives.
    expect(expandGlobs(dir, ["**"])).toEqual(["evil-1.0-py3-none-any.whl", "evil.tgz"]);
  });

  it("rejects corrupt, empty and unknown archives with a clear error", async () => {
    dir = tempDir();
    writeFileSync(path.join(dir, "bad.tar.gz"), "not gzip at all");
    writeFileSync(path.join(dir, "bad.zip"), "PK not really");
    writeFileSync(path.join(dir, "empty.tgz"), "");
    await expect(listArchive(path.join(dir, "bad.tar.gz"))).rejects.toThrow(/bad\.tar\.gz: .*tar archive/);
    await expect(listArchive(path.join(dir, "bad.zip"))).rejects.toThrow(/bad\.zip: unreadable zip archive/);
    await expect(listArchive(path.join(dir, "empty.tgz"))).rejects.toThrow(/empty\.tgz/);
    await expect(listArchive(path.join(dir, "notes.txt"))).rejects.toThrow(/not a \.tar\.gz/);
  });

  it.each([
    ["a/b", false],
    ["a/../b", true],
    ["..", true],
    ["/x", true],
    ["C:\\x", true],
    ["a\\..\\b", true],
    ["a..b/c", false],
  ])("judges %s unsafe: %s", (name, unsafe) => {
    expect(isUnsafeEntryPath(name)).toBe(unsafe);
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
  });
});
