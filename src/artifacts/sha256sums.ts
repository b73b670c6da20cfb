// sha256sums.txt: parse and format (`<64 hex>  <file name>`, as sha256sum writes it), hash files by
// streaming, and find a build's sums in a downloaded artifact tree (its sha256sums.txt, or its archives).
import { createHash } from "node:crypto";
import { createReadStream, type Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode, errorMessage, IncompleteError, ShipgateError, UsageError } from "../errors.js";
import { assetName, checkAssetTemplate } from "./asset-template.js";

/** File name (as written in the sums file) -> lowercase hex digest, in file order. */
export type Sha256Sums = ReadonlyMap<string, string>;

export const SHA256SUMS_FILE = "sha256sums.txt";

/** A sums file that cannot be trusted as a whole: the CLI reports it as an unreadable input (exit 2). */
export class Sha256SumsError extends UsageError {
  constructor(
    readonly source: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${source}${line === undefined ? "" : `:${line}`}: ${reason}`);
    this.name = "Sha256SumsError";
  }
}

// GNU sha256sum: digest, a space, then a space (text mode) or `*` (binary mode), then the name. A line
// starting with a backslash has its name escaped (`\\`, `\n`, `\r`), which sha256sum does for odd names.
const LINE = /^(\\?)([0-9a-fA-F]{64}) ([ *])(.+)$/;

function unescapeName(name: string): string | null {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = name[++i];
    if (next === "\\") out += "\\";
    else if (next === "n") out += "\n";
    else if (next === "r") out += "\r";
    else return null;
  }
  return out;
}

/**
 * Parses sha256sums.txt text. Blank lines only at the end are tolerated (a trailing newline); any other
 * line that is not `<64 hex>  <name>` or `<64 hex> *<name>`, a name listed twice, or no entry at all throws.
 */
export function parseSha256Sums(text: string, source = SHA256SUMS_FILE): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  while (lines.length > 0 && lines.at(-1)!.replace(/\r$/, "").trim() === "") lines.pop();
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/\r$/, "");
    const match = LINE.exec(line);
    if (!match) {
      const shown = line.length > 80 ? `${line.slice(0, 77)}...` : line;
      throw new Sha256SumsError(
        source,
        `not a "<64 hex digits>  <file name>" line: ${JSON.stringify(shown)}`,
        lineNo,
      );
    }
    const name = match[1] ? unescapeName(match[4]!) : match[4]!;
    if (name === null) throw new Sha256SumsError(source, "bad escape in file name", lineNo);
    if (sums.has(name)) throw new Sha256SumsError(source, `${name} is listed twice`, lineNo);
    sums.set(name, match[2]!.toLowerCase());
  });
  if (sums.size === 0) throw new Sha256SumsError(source, "no checksum lines");
  return sums;
}

/** The sums as sha256sum writes them (text mode), one line each, in map order, with a final newline. */
export function formatSha256Sums(sums: Sha256Sums): string {
  let out = "";
  for (const [name, digest] of sums) {
    if (!/^[0-9a-f]{64}$/.test(digest))
      throw new Error(`formatSha256Sums: ${name}: not a lowercase sha256 digest`);
    const escaped = /[\\\n\r]/.test(name);
    const shown = escaped
      ? name.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll("\r", "\\r")
      : name;
    out += `${escaped ? "\\" : ""}${digest}  ${shown}\n`;
  }
  return out;
}

/**
 * The digest of `fileName` in the sums: the exact name, else the only entry whose base name it is
 * (sums written as `sha256sum dist/*.tar.gz` carry the directory).
 */
export function sumFor(sums: Sha256Sums, fileName: string): string | undefined {
  const exact = sums.get(fileName);
  if (exact !== undefined) return exact;
  const byBase = [...sums].filter(([name]) => path.posix.basename(name.replaceAll("\\", "/")) === fileName);
  return byBase.length === 1 ? byBase[0]![1] : undefined;
}

export function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("error", reject)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** Sums of the files, keyed by base name (as sha256sums.txt lists release assets); equal base names refused. */
export async function sumsOfFiles(paths: readonly string[]): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  for (const file of paths) {
    const name = path.basename(file);
    const other = seen.get(name);
    if (other !== undefined) throw new UsageError(`two files named ${name}: ${other} and ${file}`);
    seen.set(name, file);
  }
  const digests = await Promise.all(
    paths.map((file) =>
      sha256OfFile(file).catch((err: unknown) => {
        throw new IncompleteError(`cannot read ${file}: ${errorMessage(err)}`);
      }),
    ),
  );
  return new Map(paths.map((file, i) => [path.basename(file), digests[i]!]));
}

export interface ArchiveSums {
  sums: Map<string, string>;
  /** "sha256sums.txt": read from the tree's sums file(s); "computed": hashed from the archives. */
  origin: "sha256sums.txt" | "computed";
  /** The sums files read, or the archives hashed, relative to the directory. */
  files: string[];
}

async function filesUnder(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    throw new IncompleteError(`cannot read the artifact directory ${dir}: ${errorMessage(err)}`);
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * The sums of a build's archives in a downloaded artifact tree, as the reference runbook finds them: every
 * sha256sums.txt in the tree (merged; two that disagree are refused), else the sums of the
 * `template`-named archives for each platform (each must be present, once). When a sums file is used and
 * the archives are there too, they are hashed and must agree with it.
 */
export async function findArchiveSums(
  dir: string,
  template: string,
  version: string,
  platforms: readonly string[],
): Promise<ArchiveSums> {
  checkAssetTemplate(template);
  const files = await filesUnder(dir);
  const byName = new Map<string, string[]>();
  for (const rel of files) {
    const name = path.basename(rel);
    byName.set(name, [...(byName.get(name) ?? []), rel]);
  }
  const expected = platforms.map((platform) => ({ platform, name: assetName(template, version, platform) }));
  // The same archive may sit in several artifacts; copies must be identical.
  const archives = new Map<string, { rel: string; digest: string }>();
  for (const { name } of expected) {
    const found = byName.get(name) ?? [];
    if (found.length === 0) continue;
    const digests = await sumsOfEach(dir, found);
    if (new Set(digests).size > 1)
      throw new ShipgateError(
        `${name} appears ${found.length} times with different contents: ${found.join(", ")}`,
        ExitCode.blocked,
      );
    archives.set(name, { rel: found[0]!, digest: digests[0]! });
  }

  const sumsFiles = byName.get(SHA256SUMS_FILE) ?? [];
  if (sumsFiles.length > 0) {
    const sums = new Map<string, string>();
    for (const rel of sumsFiles) {
      let text: string;
      try {
        text = await readFile(path.join(dir, rel), "utf8");
      } catch (err) {
        throw new IncompleteError(`cannot read ${rel}: ${errorMessage(err)}`);
      }
      for (const [name, digest] of parseSha256Sums(text, rel)) {
        const prior = sums.get(name);
        if (prior !== undefined && prior !== digest)
          throw new ShipgateError(
            `${SHA256SUMS_FILE} files disagree on ${name}: ${sumsFiles.join(", ")}`,
            ExitCode.blocked,
          );
        sums.set(name, digest);
      }
    }
    for (const [name, { rel, digest }] of archives) {
      const listed = sumFor(sums, name);
      if (listed !== undefined && digest !== listed)
        throw new ShipgateError(
          `${rel} has sha256 ${digest}, but ${SHA256SUMS_FILE} lists ${listed} for ${name}`,
          ExitCode.blocked,
        );
    }
    return { sums, origin: "sha256sums.txt", files: sumsFiles };
  }

  const missing = expected.filter(({ name }) => !archives.has(name));
  if (missing.length > 0)
    throw new IncompleteError(
      `no ${SHA256SUMS_FILE} under ${dir}, and no archive for ${missing.map((m) => `${m.platform} (${m.name})`).join(", ")}`,
    );
  const used = expected.map(({ name }) => ({ name, ...archives.get(name)! }));
  return {
    sums: new Map(used.map(({ name, digest }) => [name, digest])),
    origin: "computed",
    files: used.map(({ rel }) => rel),
  };
}

async function sumsOfEach(dir: string, rels: string[]): Promise<string[]> {
  return Promise.all(
    rels.map((rel) =>
      sha256OfFile(path.join(dir, rel)).catch((err: unknown) => {
        throw new IncompleteError(`cannot read ${rel}: ${errorMessage(err)}`);
      }),
    ),
  );
}
