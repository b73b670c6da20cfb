// The `tracker:` key of shipgate.yaml: which blocker tracker to file into, and how.
import { z } from "zod";

const templatesSchema = z
  .strictObject({
    epicTitle: z.string().min(1).optional().meta({ description: "default: 'Release blockers: {target}'" }),
    taskTitle: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "default: '[release-blocker][{target}] {title}'" }),
    epicBody: z.string().min(1).optional(),
    taskBody: z.string().min(1).optional(),
  })
  .default({});

const common = {
  autoClose: z
    .boolean()
    .default(false)
    .meta({ description: "close a blocker in the tracker when its gate passes later" }),
  templates: templatesSchema,
};

export const trackerConfigSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("local"),
      path: z.string().min(1).optional().meta({ description: "default: <evidenceDir>/blockers.jsonl" }),
      ...common,
    }),
    z.strictObject({ kind: z.literal("ergo"), command: z.string().min(1).default("ergo"), ...common }),
    z.strictObject({
      kind: z.literal("github"),
      repo: z
        .string()
        .regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name")
        .optional(),
      apiUrl: z.string().url().optional(),
      label: z.string().min(1).default("release-blocker"),
      ...common,
    }),
  ])
  .default({ kind: "local", autoClose: false, templates: {} });
export type TrackerConfig = z.infer<typeof trackerConfigSchema>;
