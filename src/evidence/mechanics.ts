// One line per recorded release step, in step order, shared by status and evidence.md.

import type { AnyStep } from "../pipeline/step.js";
import { steps } from "../pipeline/steps/index.js";
import type { Ledger } from "./schema.js";

export interface MechanicsLine {
  step: string;
  state: string;
  detail: string;
}

export function mechanicsLines(ledger: Ledger): MechanicsLine[] {
  const records = ledger.mechanics as Record<string, unknown>;
  return (steps as readonly AnyStep[]).flatMap((step) => {
    const record = records[step.name];
    return record === undefined ? [] : [{ step: step.name, ...step.describe(record) }];
  });
}
