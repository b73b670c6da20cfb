// Builds zip archives in memory for the stand-ins (artifact and log downloads, Go module zips).
// yazl stays a devDependency: the stand-ins run only from a checkout (tests, `npm run demo`), never
// from the published package, and a checkout that can build the demo has its devDependencies.
import yazl from "yazl";

export type FileMap = Record<string, string | Uint8Array>;

/** A zip holding `files` (name -> content), with fixed timestamps so equal input gives equal bytes. */
export async function zipFiles(files: FileMap): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) {
    zip.addBuffer(typeof content === "string" ? Buffer.from(content) : Buffer.from(content), name, {
      mtime: new Date(Date.UTC(2024, 0, 1)),
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
