// Settings every tracker kind has (auto-close, blocker templates); each adapter adds its own fields.
import * as z from "zod";

export const templatesSchema = z
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
export type TemplateOverrides = z.output<typeof templatesSchema>;

export const commonTrackerFields = {
  autoClose: z
    .boolean()
    .default(false)
    .meta({ description: "close a blocker in the tracker when its gate passes later" }),
  templates: templatesSchema,
};
