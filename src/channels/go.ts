// Channel `go`: The Go module proxy serves the version.
import { z } from "zod";
import { defineChannel } from "./types.js";

export const goChannel = defineChannel({
  kind: "go",
  description: "The Go module proxy serves the version.",
  schema: z.strictObject({
    kind: z.literal("go"),
    module: z.string().min(1),
    registry: z
      .string()
      .url()
      .optional()
      .meta({ description: "module proxy base URL; default the public proxy" }),
  }),
  id: (e) => `go:${e.module}`,
  // Replaced by the real check in the delivery work; until then nothing is ever called live.
  check: async () => ({ status: "incomplete", summary: "go: not implemented yet" }),
});
