// Channel `homebrew`: The tap formula matches the release sha256sums.txt.
import { z } from "zod";
import { defineChannel } from "./types.js";

export const homebrewChannel = defineChannel({
  kind: "homebrew",
  description: "The tap formula matches the release sha256sums.txt.",
  schema: z.strictObject({
    kind: z.literal("homebrew"),
  }),
  id: () => "homebrew",
  // Replaced by the real check in the delivery work; until then nothing is ever called live.
  check: async () => ({ status: "incomplete", summary: "homebrew: not implemented yet" }),
});
