// Channel `github-release`: The GitHub release for the tag exists, is published and holds every asset.
import { z } from "zod";
import { defineChannel } from "./types.js";

export const githubReleaseChannel = defineChannel({
  kind: "github-release",
  description: "The GitHub release for the tag exists, is published and holds every asset.",
  schema: z.strictObject({
    kind: z.literal("github-release"),
    assets: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: "asset names, with {version} and {tag} placeholders" }),
    sdkLayout: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: "paths every SDK archive (.tar.gz asset) must hold, e.g. bin/tool" }),
  }),
  id: () => "github-release",
  // Replaced by the real check in the delivery work; until then nothing is ever called live.
  check: async () => ({ status: "incomplete", summary: "github-release: not implemented yet" }),
});
