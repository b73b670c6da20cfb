// Gate kind `changelog`: the changelog has a dated section for the target version.
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind } from "../types.js";

export const changelogGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("changelog"),
  file: z.string().min(1).default("CHANGELOG.md"),
});
export type ChangelogGate = z.infer<typeof changelogGateSchema>;

export const changelogKind: GateKind<ChangelogGate> = {
  kind: "changelog",
  description: "The changelog has a `## [X.Y.Z] - YYYY-MM-DD` section for the target.",
  schema: changelogGateSchema,
  async run() {
    return { status: "incomplete", summary: "changelog is not implemented yet" };
  },
};
