// One line per recorded mechanics step (tag, later build/publish), shared by status and evidence.md.
import type { Ledger } from "./schema.js";

export interface MechanicsLine {
  step: string;
  state: string;
  detail: string;
}

export function mechanicsLines(ledger: Ledger): MechanicsLine[] {
  return Object.entries(ledger.mechanics).map(([step, value]) => {
    const v = (value ?? {}) as Record<string, unknown>;
    if (step === "tag") {
      const state = v.dryRun ? "planned (dry-run)" : v.pushed ? "pushed" : "created, not pushed";
      return { step, state, detail: `${v.tag} at ${String(v.sha).slice(0, 12)} on ${v.remote}` };
    }
    return { step, state: typeof v.state === "string" ? v.state : "recorded", detail: JSON.stringify(v) };
  });
}
