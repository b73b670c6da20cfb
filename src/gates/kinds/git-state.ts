// Gate kind `git-state`: the working tree is clean and nothing local is ahead of upstream.
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind } from "../types.js";

export const gitStateGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("git-state"),
  requireUpstream: z
    .boolean()
    .default(false)
    .meta({ description: "block when the branch has no upstream at all" }),
});
export type GitStateGate = z.infer<typeof gitStateGateSchema>;

export const gitStateKind: GateKind<GitStateGate> = {
  kind: "git-state",
  description: "Working tree clean and no local commits ahead of upstream.",
  schema: gitStateGateSchema,
  async run() {
    return { status: "incomplete", summary: "git-state is not implemented yet" };
  },
};
