// Test helper: a fresh v1.0.0 ledger (first release, dry run) written under `dir`, outside any repository.
import { initialLedger, LedgerWriter } from "../../src/evidence/ledger.js";
import { type LedgerPaths, ledgerPaths } from "../../src/evidence/paths.js";

export function seedLedger(dir: string): LedgerPaths {
  const paths = ledgerPaths(dir, ".shipgate", "v1.0.0");
  const seed = initialLedger(
    {
      releaseTarget: "v1.0.0",
      baseTag: "none",
      mode: "dry-run",
      agent: "t@h",
      initializedAt: new Date().toISOString(),
    },
    { branch: "main", sha: "0".repeat(40) },
  );
  LedgerWriter.create(paths, "seed", seed, false).writer.release();
  return paths;
}
