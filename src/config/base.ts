// The parts of shipgate.yaml that are not extension points: evidence location, tag pattern, GitHub,
// bench and Homebrew settings. Gate kinds, trackers and channels see only this part of the config,
// which keeps them free of the registries that the full schema (schema.ts) is built from.
import { z } from "zod";
import { benchConfigSchema } from "../bench/config.js";
import { repoPath } from "./repo-path.js";

export const DEFAULT_TAG_PATTERN = "^v\\d+\\.\\d+\\.\\d+$";

const regexString = z.string().superRefine((value, ctx) => {
  try {
    new RegExp(value);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(err as Error).message}` });
  }
});

export const repoSlugSchema = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name");

export const githubConfigSchema = z.strictObject({
  repo: repoSlugSchema.optional().meta({ description: "default: parsed from the origin remote" }),
  apiUrl: z
    .string()
    .url()
    .optional()
    .meta({ description: "REST base URL; env SHIPGATE_GITHUB_API_URL overrides" }),
  buildWorkflow: z.string().min(1).default("release.yml"),
  publishWorkflow: z.string().min(1).default("release-publish.yml"),
  ciWorkflow: z.string().min(1).default("ci.yml"),
  metadataArtifact: z.string().min(1).default("release-metadata"),
  requiredSecrets: z.array(z.string().min(1)).default([]).meta({
    description: "Actions secrets publishing needs, e.g. [NPM_TOKEN]; empty for trusted publishing",
  }),
});
export type GithubConfig = z.infer<typeof githubConfigSchema>;

export const homebrewConfigSchema = z.strictObject({
  tapRepo: repoSlugSchema.optional(),
  formulaPath: repoPath("relative").optional().meta({ description: "the formula file, relative to the tap" }),
  tapPath: repoPath("other-checkout")
    .optional()
    .meta({ description: "a local checkout of the tap (not this repository)" }),
  assetTemplate: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "e.g. mytool_{version}_{platform}.tar.gz" }),
  platforms: z.array(z.string().min(1)).default(["darwin_amd64", "darwin_arm64", "linux_amd64"]),
});
export type HomebrewConfig = z.infer<typeof homebrewConfigSchema>;

export const baseConfigFields = {
  $schema: z.string().optional(),
  // prefault: the default goes through the same checks (a `.shipgate` that is a file or a link out).
  evidenceDir: repoPath("evidence-dir").prefault(".shipgate").meta({
    description: "where ledgers are written: a directory inside the repository",
  }),
  tagPattern: regexString.default(DEFAULT_TAG_PATTERN),
  github: githubConfigSchema.default(() => githubConfigSchema.parse({})),
  bench: benchConfigSchema.optional(),
  homebrew: homebrewConfigSchema.optional(),
};

/** What extensions (gate kinds, trackers, channels) may read of the config. */
export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigFields>>;
