// Channel `npm`: The npm registry has the version and the dist-tag points at it.
import { z } from "zod";
import { defineChannel } from "./types.js";

export const npmChannel = defineChannel({
  kind: "npm",
  description: "The npm registry has the version and the dist-tag points at it.",
  schema: z.strictObject({
    kind: z.literal("npm"),
    package: z.string().min(1),
    distTag: z.string().min(1).default("latest"),
    registry: z.string().url().optional().meta({ description: "default: the user's npm configuration" }),
  }),
  id: (e) => `npm:${e.package}`,
  // Replaced by the real check in the delivery work; until then nothing is ever called live.
  check: async () => ({ status: "incomplete", summary: "npm: not implemented yet" }),
});
