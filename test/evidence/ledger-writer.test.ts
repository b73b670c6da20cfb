// The ledger writer's staged changes: shared writes, nothing lost at release, bad changes refused at once.
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { LedgerWriter, readLedger } from "../../src/evidence/ledger.js";
import type { LedgerPaths } from "../../src/evidence/paths.js";
import { registerSecrets, resetRedactor } from "../../src/evidence/redact.js";
import { seedLedger } from "../helpers/ledger.js";
import { tempDir } from "../helpers/repo.js";

/** The ledger file's identity: write-file-atomic renames a new file over it on every write. */
const inode = (paths: LedgerPaths) => statSync(paths.json).ino;

describe("ledger writer: staged changes", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes changes staged in one turn once, and each is on disk when its flush resolves", async () => {
    dir = tempDir();
    const paths = seedLedger(dir);
    const writer = LedgerWriter.open(paths, "test");
    try {
      const before = inode(paths);
      const flushes = ["a", "b", "c"].map((id) => {
        writer.stage("note", { id }, (l) => {
          l.checkpoint.branch = `branch-${id}`;
        });
        return writer.flush();
      });
      // Staged only: the file on disk is still the one from before.
      expect(inode(paths)).toBe(before);
      expect(readLedger(paths).events.map((e) => e.type)).toEqual(["initialized"]);
      await Promise.all(flushes);
      const written = inode(paths);
      expect(written).not.toBe(before);
      const onDisk = readLedger(paths);
      expect(onDisk.events.map((e) => e.data.id)).toEqual([undefined, "a", "b", "c"]);
      expect(onDisk.checkpoint.branch).toBe("branch-c");
      // Nothing left to write: a further flush leaves the file alone.
      await writer.flush();
      expect(inode(paths)).toBe(written);
    } finally {
      writer.release();
    }
  });

  it("writes what is still staged when it releases the lock, and when an update follows", async () => {
    dir = tempDir();
    const paths = seedLedger(dir);
    const writer = LedgerWriter.open(paths, "test");
    writer.stage("staged-first", { n: 1 });
    writer.update("updated", { n: 2 });
    expect(readLedger(paths).events.map((e) => e.type)).toEqual(["initialized", "staged-first", "updated"]);
    writer.stage("staged-last", { n: 3 });
    writer.release();
    expect(
      readLedger(paths)
        .events.map((e) => e.type)
        .at(-1),
    ).toBe("staged-last");
    expect(readFileSync(paths.md, "utf8")).toContain("v1.0.0");
  });

  it("refuses a change that breaks the schema when it is staged, and keeps the ledger as it was", async () => {
    dir = tempDir();
    const paths = seedLedger(dir);
    const writer = LedgerWriter.open(paths, "test");
    try {
      expect(() =>
        writer.stage("bad", {}, (l) => {
          (l.checkpoint as { phase: string }).phase = "shipped-to-mars";
        }),
      ).toThrow();
      await writer.flush();
      expect(writer.ledger.checkpoint.phase).toBe("initialized");
      expect(readLedger(paths).events.map((e) => e.type)).toEqual(["initialized"]);
    } finally {
      writer.release();
    }
  });

  it("scrubs a secret registered late from events written before it was known", () => {
    dir = tempDir();
    const paths = seedLedger(dir);
    const writer = LedgerWriter.open(paths, "test");
    const late = `learned-late-${"k3Y".repeat(6)}`;
    try {
      writer.update("printed", { line: `token ${late}` });
      expect(readFileSync(paths.json, "utf8")).toContain(late);
      registerSecrets([late]);
      writer.update("next", {});
      expect(readFileSync(paths.json, "utf8")).not.toContain(late);
    } finally {
      writer.release();
      resetRedactor();
    }
  });

  it("refuses a change made in place to an earlier event: the log is append-only", () => {
    dir = tempDir();
    const paths = seedLedger(dir);
    const writer = LedgerWriter.open(paths, "test");
    try {
      writer.update("first", {});
      expect(() =>
        writer.update("second", {}, (l) => {
          (l.events[0] as { type: unknown }).type = 42;
        }),
      ).toThrow();
      expect(readLedger(paths).events.map((e) => e.type)).toEqual(["initialized", "first"]);
    } finally {
      writer.release();
    }
  });

  it("reads a ledger changed in place afresh, even at the same size, and hands out independent copies", () => {
    dir = tempDir();
    const paths = seedLedger(dir);
    const first = readLedger(paths);
    first.checkpoint.branch = "changed by a caller";
    expect(readLedger(paths).checkpoint.branch).toBe("main");
    // The same number of bytes, another agent: an edit in place, as a hand or a script would make it.
    const text = readFileSync(paths.json, "utf8");
    writeFileSync(paths.json, text.replace('"agent": "t@h"', '"agent": "x@y"'));
    expect(readFileSync(paths.json, "utf8").length).toBe(text.length);
    expect(readLedger(paths).context.agent).toBe("x@y");
  });
});
