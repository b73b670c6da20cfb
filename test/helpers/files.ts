// Test helper: every file under a directory, for "this secret appears nowhere under X" checks.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

export function listFilesRecursive(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFilesRecursive(full) : [full];
  });
}
