// Gate kind `licensing-notices`: every shipped archive contains the required notice files.
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind } from "../types.js";

export const licensingNoticesGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("licensing-notices"),
  artifacts: z
    .array(z.string().min(1))
    .min(1)
    .meta({ description: "globs of .tar.gz, .tgz, .whl, .zip archives, relative to the repo root" }),
  require: z.array(z.string().min(1)).min(1).default(["LICENSE", "THIRD_PARTY_NOTICES.md"]),
});
export type LicensingNoticesGate = z.infer<typeof licensingNoticesGateSchema>;

export const licensingNoticesKind: GateKind<LicensingNoticesGate> = {
  kind: "licensing-notices",
  description: "Every archive matched by the globs holds the required notice files.",
  schema: licensingNoticesGateSchema,
  async run() {
    return { status: "incomplete", summary: "licensing-notices is not implemented yet" };
  },
};
