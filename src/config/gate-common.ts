// Fields every gate has, whatever its kind; each gate kind extends this with its own options.
import * as z from "zod";
import { durationSchema } from "./duration.js";
import { repoPath } from "./repo-path.js";

export const gateIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    "expected letters, digits, '.', '_' or '-' (starting with a letter or digit)",
  );

export const commonGateFields = {
  id: gateIdSchema,
  name: z.string().min(1).optional(),
  when: z
    .strictObject({
      changed: z.array(repoPath("glob")).min(1).meta({
        description: "globs; the gate runs only when a file changed since the base tag matches one",
      }),
    })
    .optional(),
  requires: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: "executables that must be on PATH, else the gate is incomplete" }),
  timeout: durationSchema.optional(),
  env: z.record(z.string(), z.string()).default({}),
  cwd: repoPath("existing-dir")
    .optional()
    .meta({ description: "an existing directory inside the repository; default its root" }),
  after: z.array(gateIdSchema).default([]).meta({ description: "ids of gates this one waits for" }),
};

/** A shell command line, or a list run in order that stops at the first failure. */
export const commandListSchema = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (typeof v === "string" ? [v] : v));
