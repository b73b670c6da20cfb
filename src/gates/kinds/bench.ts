// Gate kind `bench`: the performance regression guard (base tag vs candidate), configured by `bench:`.
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind } from "../types.js";

export const benchGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("bench"),
});
export type BenchGate = z.infer<typeof benchGateSchema>;

export const benchKind: GateKind<BenchGate> = {
  kind: "bench",
  description:
    "Interleaved base-vs-candidate benchmark; blocks on a regression or on noise it cannot decide.",
  schema: benchGateSchema,
  async run() {
    return { status: "incomplete", summary: "bench is not implemented yet" };
  },
};
