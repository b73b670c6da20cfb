// Test helper: real archives built in the test — gzip'd tars (with raw headers, so unsafe names survive) and zips.
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { Header } from "tar";
import yazl from "yazl";

/** An archive entry other than a regular file: a link (with its target) or a directory. */
export type SpecialEntry = { symlink: string } | { hardlink: string } | { directory: true };

function tarEntry(name: string, body: string | SpecialEntry): Buffer {
  const data = Buffer.from(typeof body === "string" ? body : "");
  const header = Buffer.alloc(512);
  const kind =
    typeof body === "string"
      ? { type: "File" as const }
      : "symlink" in body
        ? { type: "SymbolicLink" as const, linkpath: body.symlink }
        : "hardlink" in body
          ? { type: "Link" as const, linkpath: body.hardlink }
          : { type: "Directory" as const };
  new Header({ path: name, mode: 0o644, size: data.length, mtime: new Date(0), ...kind }).encode(header, 0);
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** Writes a .tar.gz/.tgz holding `files` (name -> content or a special entry); names are stored as given. */
export function writeTarGz(file: string, files: Record<string, string | SpecialEntry>): void {
  const body = Object.entries(files).map(([name, content]) => tarEntry(name, content));
  writeFileSync(file, gzipSync(Buffer.concat([...body, Buffer.alloc(1024)])));
}

/** Writes a .zip/.whl holding `files`; unsafe names are written raw (yazl validates names, so they are
 * patched in). A `{ symlink }` entry is stored as a symbolic link (mode 0120777, the target as content). */
export async function writeZip(
  file: string,
  files: Record<string, string | { symlink: string }>,
): Promise<void> {
  const zip = new yazl.ZipFile();
  const placeholders = new Map<string, string>();
  for (const [name, content] of Object.entries(files)) {
    let stored = name;
    if (name.startsWith("/") || name.split("/").includes("..")) {
      // Same length, so the central directory stays consistent after the byte patch below; the
      // index keeps one placeholder from being a prefix of another.
      const tag = `x${placeholders.size}_`;
      if (name.length < tag.length) throw new Error(`writeZip: unsafe name too short to patch: ${name}`);
      stored = tag + "_".repeat(name.length - tag.length);
      placeholders.set(stored, name);
    }
    if (typeof content === "string") zip.addBuffer(Buffer.from(content), stored, { mtime: new Date(0) });
    else zip.addBuffer(Buffer.from(content.symlink), stored, { mtime: new Date(0), mode: 0o120777 });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const out = Buffer.concat(chunks);
  for (const [stored, real] of placeholders) {
    let at = out.indexOf(stored);
    while (at !== -1) {
      out.write(real, at, "utf8");
      at = out.indexOf(stored, at + 1);
    }
  }
  writeFileSync(file, out);
}
