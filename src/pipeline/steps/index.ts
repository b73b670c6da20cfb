// The one ordered list of release steps; `run` walks it in this order. Adding a step = one file that
// calls defineStep + one line here: the ledger's phases and `mechanics` records are derived from it.
import type { AnyStep } from "../step.js";
import { deliverStep } from "./deliver.js";
import { homebrewStep } from "./homebrew.js";
import { tagStep } from "./tag.js";

// deliver stays last: it proves what every step before it shipped.
export const steps = [tagStep, homebrewStep, deliverStep] as const satisfies readonly AnyStep[];

export function findStep(name: string): AnyStep | undefined {
  return (steps as readonly AnyStep[]).find((s) => s.name === name);
}
