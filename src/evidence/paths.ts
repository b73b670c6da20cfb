// Where a target's evidence lives: <repo>/<evidenceDir>/<target>/{evidence.json,evidence.md,logs/}.
import path from "node:path";

export interface LedgerPaths {
  evidenceDir: string;
  dir: string;
  json: string;
  md: string;
  logs: string;
  lock: string;
}

export function ledgerPaths(repoRoot: string, evidenceDir: string, target: string): LedgerPaths {
  const root = path.resolve(repoRoot, evidenceDir);
  const dir = path.join(root, target);
  return {
    evidenceDir: root,
    dir,
    json: path.join(dir, "evidence.json"),
    md: path.join(dir, "evidence.md"),
    logs: path.join(dir, "logs"),
    // Outside the target directory so that `init --force` can move the whole directory aside under it.
    lock: path.join(root, `${target}.lock`),
  };
}
