// The one ordered list of release steps; `run` walks it in this order. Adding a step = one file that
// calls defineStep + one line here: the ledger's phases and `mechanics` records are derived from it.
import type { AnyStep } from "../step.js";
import { tagStep } from "./tag.js";

export const steps = [tagStep] as const satisfies readonly AnyStep[];
