// The parts of shipgate.yaml that are not extension points: evidence location, tag pattern, GitHub,
// bench and Homebrew settings. Gate kinds, trackers and channels see only this part of the config,
// which keeps them free of the registries that the full schema (schema.ts) is built from.
import * as z from "zod";
import { benchConfigSchema } from "../bench/config.js";
import { durationSchema } from "./duration.js";
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

/** The publish workflow's workflow_dispatch inputs, by meaning (defaults: the Plasmite workflow's names). */
export const dispatchInputsSchema = z.strictObject({
  buildRunId: z.string().min(1).default("build_run_id"),
  rehearsal: z.string().min(1).default("rehearsal"),
  allowPartialRelease: z.string().min(1).default("allow_partial_release"),
  skip: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a channel name such as npm or crates-io"),
      z.string().min(1),
    )
    .default({ npm: "skip_npm", pypi: "skip_pypi", "crates-io": "skip_crates_io" })
    .meta({ description: "`shipgate publish --skip <channel>` name -> the boolean input that skips it" }),
});
export type DispatchInputs = z.infer<typeof dispatchInputsSchema>;

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
  dispatchInputs: dispatchInputsSchema.default(() => dispatchInputsSchema.parse({})),
  publishRef: z.string().min(1).optional().meta({
    description: "git ref the publish workflow is dispatched on; default: the release tag",
  }),
  rehearsalWhenChanged: z.array(z.string().min(1)).default([".github/workflows/**"]).meta({
    description:
      "globs: a live publish needs a successful rehearsal first when a file matching one changed since the base tag",
  }),
  pollInterval: durationSchema.prefault("10s").meta({ description: "first wait between polls of a run" }),
  pollMaxInterval: durationSchema
    .prefault("60s")
    .meta({ description: "the wait between polls grows (×1.5) up to this" }),
  buildTimeout: durationSchema
    .prefault("45m")
    .meta({ description: "default --wait of `shipgate build` (the build run's appearance and completion)" }),
  publishTimeout: durationSchema
    .prefault("45m")
    .meta({ description: "default --wait of `shipgate publish`" }),
  runAppearTimeout: durationSchema
    .prefault("2m")
    .meta({ description: "how long a dispatched run may take to appear in the run list" }),
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
  push: z
    .boolean()
    .default(false)
    .meta({ description: "push the tap commit in live mode (also --push on `homebrew update`)" }),
});
export type HomebrewConfig = z.infer<typeof homebrewConfigSchema>;

export const deliveryConfigSchema = z.strictObject({
  wait: durationSchema.optional().meta({
    description: "propagation window: a channel not live yet is asked again until it ends; default 10m",
  }),
  poll: durationSchema
    .optional()
    .meta({ description: "first delay between two checks of a channel; doubles up to maxPoll; default 10s" }),
  maxPoll: durationSchema.optional().meta({ description: "longest delay between two checks; default 1m" }),
  requestTimeout: durationSchema.optional().meta({ description: "limit for one request; default 30s" }),
});
export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

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
  delivery: deliveryConfigSchema.optional(),
};

/** What extensions (gate kinds, trackers, channels) may read of the config. */
export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigFields>>;
