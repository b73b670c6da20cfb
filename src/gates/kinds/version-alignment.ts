// Gate kind `version-alignment`: every listed manifest's version equals the release target's version.
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind } from "../types.js";

export const manifestSchema = z.strictObject({
  file: z.string().min(1),
  key: z
    .string()
    .min(1)
    .optional()
    .meta({
      description:
        "dotted key path; inferred for Cargo.toml, pyproject.toml, package.json, package-lock.json",
    }),
});

export const versionAlignmentGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("version-alignment"),
  manifests: z.array(manifestSchema).min(1),
});
export type VersionAlignmentGate = z.infer<typeof versionAlignmentGateSchema>;

export const versionAlignmentKind: GateKind<VersionAlignmentGate> = {
  kind: "version-alignment",
  description: "Every manifest's version equals the target version.",
  schema: versionAlignmentGateSchema,
  async run() {
    return { status: "incomplete", summary: "version-alignment is not implemented yet" };
  },
};
