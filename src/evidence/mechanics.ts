// One line per recorded mechanics step (tag, later build/publish), shared by status and evidence.md.
import type { Ledger } from "./schema.js";

export interface MechanicsLine {
  step: string;
  state: string;
  detail: string;
}

export function mechanicsLines(ledger: Ledger): MechanicsLine[] {
  const { tag, ...later } = ledger.mechanics;
  const lines: MechanicsLine[] = [];
  if (tag) {
    const state = tag.dryRun ? "planned (dry-run)" : tag.pushed ? "pushed" : "created, not pushed";
    lines.push({ step: "tag", state, detail: `${tag.tag} at ${tag.sha.slice(0, 12)} on ${tag.remote}` });
  }
  for (const [step, value] of Object.entries(later)) {
    const v = (value ?? {}) as Record<string, unknown>;
    lines.push({
      step,
      state: typeof v.state === "string" ? v.state : "recorded",
      detail: JSON.stringify(v),
    });
  }
  return lines;
}
