// Reads the regular files of a zip held in memory (a downloaded Actions artifact), with limits: entries
// that could escape a directory, links and oversized content are refused, never written anywhere.
import type yauzl from "yauzl";
import { ArchiveError, isUnsafeEntryPath } from "./archive.js";

export interface ZipReadLimits {
  /** Largest total of uncompressed bytes read (default 256 MiB). */
  maxBytes?: number;
  /** Only these paths are read (default: all regular files). */
  only?: (path: string) => boolean;
}

const DEFAULT_MAX = 256 * 1024 * 1024;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

export async function readZipEntries(
  data: Buffer,
  label: string,
  limits: ZipReadLimits = {},
): Promise<Map<string, Buffer>> {
  const { default: lib } = await import("yauzl");
  const max = limits.maxBytes ?? DEFAULT_MAX;
  return new Promise((resolve, reject) => {
    lib.fromBuffer(data, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) {
        reject(new ArchiveError(label, `unreadable zip archive: ${err?.message ?? "no data"}`));
        return;
      }
      const files = new Map<string, Buffer>();
      let total = 0;
      const fail = (reason: string) => {
        zip.close();
        reject(new ArchiveError(label, reason));
      };
      zip.on("error", (e: Error) => fail(`unreadable zip archive: ${e.message}`));
      zip.on("end", () => resolve(files));
      zip.on("entry", (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.endsWith("/")) return zip.readEntry();
        if (isUnsafeEntryPath(name)) return fail(`entry ${JSON.stringify(name)} could escape its directory`);
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        // A zip made on Windows records no mode: that is a regular file. A symlink records S_IFLNK.
        if (mode !== 0 && mode !== S_IFREG)
          return fail(`entry ${JSON.stringify(name)} is not a regular file`);
        if (limits.only && !limits.only(name)) return zip.readEntry();
        total += entry.uncompressedSize;
        if (total > max) return fail(`more than ${max} bytes uncompressed`);
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(`entry ${name}: ${e?.message ?? "no stream"}`);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("error", (se: Error) => fail(`entry ${name}: ${se.message}`));
          stream.on("end", () => {
            files.set(name, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
