// Lists the entries of .tar.gz/.tgz/.whl/.zip archives without extracting anything, flagging entries
// that would escape the extraction directory (absolute paths, `..` components, escaping links).
import path from "node:path";
import type yauzl from "yauzl";

export type ArchiveFormat = "tar.gz" | "zip";
export type EntryType = "file" | "directory" | "symlink" | "hardlink" | "other";

export interface ArchiveEntry {
  /** The name as stored in the archive (zip: decoded as its flags say; backslashes kept). */
  path: string;
  type: EntryType;
  /** Symlink or hardlink target, as stored. */
  linkTarget?: string;
}

export interface UnsafeEntry {
  path: string;
  reason: string;
}

export interface ArchiveListing {
  file: string;
  format: ArchiveFormat;
  entries: ArchiveEntry[];
  /** Entries an extractor could write outside its directory: reported, never extracted. */
  unsafe: UnsafeEntry[];
}

export class ArchiveError extends Error {
  constructor(
    readonly file: string,
    /** The reason alone, without the file name. */
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "ArchiveError";
  }
}

export function archiveFormat(file: string): ArchiveFormat | null {
  const lower = file.toLowerCase();
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".whl") || lower.endsWith(".zip")) return "zip";
  return null;
}

const isAbsolute = (name: string) => /^[\\/]/.test(name) || /^[A-Za-z]:/.test(name);
const segments = (name: string) => name.split(/[\\/]+/);

/** Absolute (POSIX, Windows drive or UNC) or containing a `..` segment. */
export function isUnsafeEntryPath(name: string): boolean {
  return isAbsolute(name) || segments(name).includes("..");
}

/** Why extracting this entry could write outside the target directory, or null when it cannot. */
export function unsafeReason(entry: ArchiveEntry): string | null {
  if (isAbsolute(entry.path)) return "absolute path";
  if (segments(entry.path).includes("..")) return "`..` in path";
  const target = entry.linkTarget;
  if (target === undefined || (entry.type !== "symlink" && entry.type !== "hardlink")) return null;
  if (isAbsolute(target)) return `${entry.type} to absolute path ${target}`;
  // A hardlink names another archive member; a symlink resolves against its own directory.
  const base = entry.type === "hardlink" ? "" : path.posix.dirname(entry.path.replace(/\\/g, "/"));
  const resolved = path.posix.normalize(path.posix.join(base, target.replace(/\\/g, "/")));
  if (resolved === ".." || resolved.startsWith("../")) return `${entry.type} escaping the archive: ${target}`;
  return null;
}

/** Rejects with ArchiveError when the file is missing, not an archive, truncated or corrupt. */
export async function listArchive(file: string): Promise<ArchiveListing> {
  const format = archiveFormat(file);
  if (!format) throw new ArchiveError(file, "not a .tar.gz, .tgz, .whl or .zip archive");
  const entries = format === "zip" ? await listZip(file) : await listTar(file);
  const unsafe = entries.flatMap((entry) => {
    const reason = unsafeReason(entry);
    return reason ? [{ path: entry.path, reason }] : [];
  });
  return { file, format, entries, unsafe };
}

const TAR_TYPES: Partial<Record<string, EntryType>> = {
  File: "file",
  OldFile: "file",
  ContiguousFile: "file",
  Directory: "directory",
  SymbolicLink: "symlink",
  Link: "hardlink",
};

async function listTar(file: string): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  const warnings: string[] = [];
  try {
    // Loaded on first use: most commands never open an archive, and every command pays for imports.
    const tar = await import("tar");
    await tar.list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        const type = TAR_TYPES[entry.type] ?? "other";
        entries.push({
          path: entry.path,
          type,
          ...(type === "symlink" || type === "hardlink" ? { linkTarget: entry.linkpath ?? "" } : {}),
        });
        entry.resume();
      },
      onwarn: (_code, message) => warnings.push(String(message)),
    });
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message;
    throw new ArchiveError(file, `unreadable tar archive: ${reason}`);
  }
  if (warnings.length > 0) throw new ArchiveError(file, `damaged tar archive: ${warnings[0]}`);
  // node-tar reads a non-tar gzip stream as zero entries; a real release archive is never empty.
  if (entries.length === 0) throw new ArchiveError(file, "empty or unreadable tar archive");
  return entries;
}

// A symlink's target is its content; a longer one is not a plain symlink and fails the listing.
const MAX_LINK_TARGET = 4096;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

async function listZip(file: string): Promise<ArchiveEntry[]> {
  const { default: yauzl } = await import("yauzl");
  return new Promise((resolve, reject) => {
    // decodeStrings: false keeps yauzl from rejecting the whole archive on an unsafe name: we want
    // to list such names and report them, not fail to read the rest. Names are decoded below.
    yauzl.open(file, { lazyEntries: true, decodeStrings: false, autoClose: true }, (err, zip) => {
      if (err || !zip) {
        const reason =
          (err as NodeJS.ErrnoException | null)?.code === "ENOENT" ? "file not found" : err?.message;
        reject(new ArchiveError(file, `unreadable zip archive: ${reason ?? "no data"}`));
        return;
      }
      const entries: ArchiveEntry[] = [];
      let failed = false;
      const fail = (reason: string) => {
        if (failed) return;
        failed = true;
        try {
          zip.close();
        } catch {
          // yauzl already closed it on its own error
        }
        reject(new ArchiveError(file, reason));
      };
      zip.on("entry", (entry: yauzl.Entry) => {
        // Extractors may honour either the raw name or the Info-ZIP Unicode path field: list the
        // raw one, and report the other too when it differs, so neither can hide an escape.
        const raw = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, [], true);
        const unicode = yauzl.getFileNameLowLevel(
          entry.generalPurposeBitFlag,
          entry.fileNameRaw,
          entry.extraFields,
          true,
        );
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        const type: EntryType =
          raw.endsWith("/") || mode === S_IFDIR ? "directory" : mode === S_IFLNK ? "symlink" : "file";
        const push = (target?: string) => {
          for (const name of unicode === raw ? [raw] : [raw, unicode])
            entries.push({ path: name, type, ...(target !== undefined ? { linkTarget: target } : {}) });
          zip.readEntry();
        };
        if (type !== "symlink") return push();
        readLinkTarget(zip, entry).then(push, (e: Error) => fail(`damaged zip archive: ${e.message}`));
      });
      zip.on("end", () => {
        if (!failed) resolve(entries);
      });
      zip.on("error", (e: Error) => fail(`damaged zip archive: ${e.message}`));
      zip.readEntry();
    });
  });
}

/** A zip symlink's target is the entry's (small) content; read into memory, never written out. */
function readLinkTarget(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  if (entry.uncompressedSize > MAX_LINK_TARGET)
    return Promise.reject(new Error(`symlink with a ${entry.uncompressedSize}-byte target`));
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error("no stream"));
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("error", reject);
      stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  });
}
