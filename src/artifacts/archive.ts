// Lists the entries of .tar.gz/.tgz/.whl/.zip archives without extracting anything, flagging unsafe paths.
import * as tar from "tar";
import yauzl from "yauzl";

export type ArchiveFormat = "tar.gz" | "zip";

export interface ArchiveListing {
  file: string;
  format: ArchiveFormat;
  /** Entry names as stored in the archive (directories included, with trailing "/"). */
  entries: string[];
  /** Entries with absolute paths or `..` components: reported, never extracted. */
  unsafe: string[];
}

export class ArchiveError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "ArchiveError";
  }
}

export function archiveFormat(file: string): ArchiveFormat | null {
  const lower = file.toLowerCase();
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".whl") || lower.endsWith(".zip")) return "zip";
  return null;
}

/** Absolute (POSIX, Windows drive or UNC) or containing a `..` segment. */
export function isUnsafeEntryPath(name: string): boolean {
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[\\/]+/).some((segment) => segment === "..");
}

export async function listArchive(file: string): Promise<ArchiveListing> {
  const format = archiveFormat(file);
  if (!format) throw new ArchiveError(file, "not a .tar.gz, .tgz, .whl or .zip archive");
  const entries = format === "zip" ? await listZip(file) : await listTar(file);
  return { file, format, entries, unsafe: entries.filter(isUnsafeEntryPath) };
}

async function listTar(file: string): Promise<string[]> {
  const entries: string[] = [];
  const warnings: string[] = [];
  try {
    await tar.list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        entries.push(entry.path);
        entry.resume();
      },
      onwarn: (_code, message) => warnings.push(String(message)),
    });
  } catch (err) {
    throw new ArchiveError(file, `unreadable tar archive: ${(err as Error).message}`);
  }
  if (warnings.length > 0) throw new ArchiveError(file, `damaged tar archive: ${warnings[0]}`);
  if (entries.length === 0) throw new ArchiveError(file, "empty or unreadable tar archive");
  return entries;
}

function listZip(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false keeps yauzl from rejecting the whole archive on an unsafe name: we want to
    // list such names and report them, not fail to read the rest.
    yauzl.open(file, { lazyEntries: true, decodeStrings: false, autoClose: true }, (err, zip) => {
      if (err || !zip) {
        reject(new ArchiveError(file, `unreadable zip archive: ${err?.message ?? "no data"}`));
        return;
      }
      const entries: string[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        const raw = entry.fileName as unknown as Buffer | string;
        entries.push(typeof raw === "string" ? raw : raw.toString("utf8"));
        zip.readEntry();
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", (e: Error) => reject(new ArchiveError(file, `damaged zip archive: ${e.message}`)));
      zip.readEntry();
    });
  });
}
