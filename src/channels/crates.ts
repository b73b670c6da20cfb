// Channel `crates`: crates.io has the version, not yanked.
import { z } from "zod";
import { defineChannel } from "./types.js";

export const cratesChannel = defineChannel({
  kind: "crates",
  description: "crates.io has the version, not yanked.",
  schema: z.strictObject({
    kind: z.literal("crates"),
    crate: z.string().min(1),
    registry: z.string().url().optional().meta({ description: "API base URL; default crates.io" }),
  }),
  id: (e) => `crates:${e.crate}`,
  // Replaced by the real check in the delivery work; until then nothing is ever called live.
  check: async () => ({ status: "incomplete", summary: "crates: not implemented yet" }),
});
