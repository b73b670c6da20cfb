// One line per recorded mechanics step (so far: tag), shared by status and evidence.md.
import type { Ledger } from "./schema.js";

export interface MechanicsLine {
  step: string;
  state: string;
  detail: string;
}

export function mechanicsLines(ledger: Ledger): MechanicsLine[] {
  const { tag } = ledger.mechanics;
  if (!tag) return [];
  const state = tag.dryRun ? "planned (dry-run)" : tag.pushed ? "pushed" : "created, not pushed";
  return [{ step: "tag", state, detail: `${tag.tag} at ${tag.sha.slice(0, 12)} on ${tag.remote}` }];
}
