// The one ordered list of release steps; `run` walks it in this order. Adding a step = one file that
// calls defineStep + one line here: the ledger's phases and `mechanics` records are derived from it.
import type { AnyStep } from "../step.js";
import { buildStep } from "./build.js";
import { deliverStep } from "./deliver.js";
import { homebrewStep } from "./homebrew.js";
import { preflightStep } from "./preflight.js";
import { provenanceStep } from "./provenance.js";
import { publishStep } from "./publish.js";
import { rehearsalStep } from "./rehearsal.js";
import { tagStep } from "./tag.js";

export const steps = [
  tagStep,
  buildStep,
  provenanceStep,
  homebrewStep,
  preflightStep,
  rehearsalStep,
  publishStep,
  // deliver stays last: it proves what every step before it shipped.
  deliverStep,
] as const satisfies readonly AnyStep[];

export function findStep(name: string): AnyStep | undefined {
  return (steps as readonly AnyStep[]).find((s) => s.name === name);
}
