// Channel `pypi`: PyPI serves the release with its files.
import { z } from "zod";
import { defineChannel } from "./types.js";

export const pypiChannel = defineChannel({
  kind: "pypi",
  description: "PyPI serves the release with its files.",
  schema: z.strictObject({
    kind: z.literal("pypi"),
    package: z.string().min(1),
    registry: z.string().url().optional().meta({ description: "JSON API base URL; default PyPI" }),
  }),
  id: (e) => `pypi:${e.package}`,
  // Replaced by the real check in the delivery work; until then nothing is ever called live.
  check: async () => ({ status: "incomplete", summary: "pypi: not implemented yet" }),
});
