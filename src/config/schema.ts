// The shipgate.yaml schema: one zod schema is both the validator and the source of the JSON Schema.
import { z } from "zod";
import { benchConfigSchema } from "../bench/config.js";
import { benchGateSchema } from "../gates/kinds/bench.js";
import { changelogGateSchema } from "../gates/kinds/changelog.js";
import { commandGateSchema } from "../gates/kinds/command.js";
import { gitStateGateSchema } from "../gates/kinds/git-state.js";
import { licensingNoticesGateSchema } from "../gates/kinds/licensing-notices.js";
import { versionAlignmentGateSchema } from "../gates/kinds/version-alignment.js";
import { workflowContractGateSchema } from "../gates/kinds/workflow-contract.js";
import { trackerConfigSchema } from "../trackers/config.js";

export const DEFAULT_TAG_PATTERN = "^v\\d+\\.\\d+\\.\\d+$";

const regexString = z.string().superRefine((value, ctx) => {
  try {
    new RegExp(value);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(err as Error).message}` });
  }
});
const repoSlug = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name");

// Listed explicitly (not built from the kinds registry) so the inferred config type stays precise.
export const gateSchema = z.discriminatedUnion("kind", [
  commandGateSchema,
  versionAlignmentGateSchema,
  licensingNoticesGateSchema,
  changelogGateSchema,
  gitStateGateSchema,
  workflowContractGateSchema,
  benchGateSchema,
]);
export type GateConfig = z.infer<typeof gateSchema>;

export const githubConfigSchema = z.strictObject({
  repo: repoSlug.optional().meta({ description: "default: parsed from the origin remote" }),
  apiUrl: z
    .string()
    .url()
    .optional()
    .meta({ description: "REST base URL; env SHIPGATE_GITHUB_API_URL overrides" }),
  buildWorkflow: z.string().min(1).default("release.yml"),
  publishWorkflow: z.string().min(1).default("release-publish.yml"),
  ciWorkflow: z.string().min(1).default("ci.yml"),
  metadataArtifact: z.string().min(1).default("release-metadata"),
  requiredSecrets: z
    .array(z.string().min(1))
    .default(["CARGO_REGISTRY_TOKEN", "PYPI_API_TOKEN", "NPM_TOKEN"]),
});

export const homebrewConfigSchema = z.strictObject({
  tapRepo: repoSlug.optional(),
  formulaPath: z.string().min(1).optional(),
  tapPath: z.string().min(1).optional(),
  assetTemplate: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "e.g. plasmite_{version}_{platform}.tar.gz" }),
  platforms: z.array(z.string().min(1)).default(["darwin_amd64", "darwin_arm64", "linux_amd64"]),
});

export const channelSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("github-release"),
    assets: z.array(z.string().min(1)).default([]),
    sdkLayout: z.array(z.string().min(1)).default([]),
  }),
  z.strictObject({
    kind: z.literal("npm"),
    package: z.string().min(1),
    distTag: z.string().min(1).default("latest"),
    registry: z.string().url().optional(),
  }),
  z.strictObject({
    kind: z.literal("crates"),
    crate: z.string().min(1),
    registry: z.string().url().optional(),
  }),
  z.strictObject({
    kind: z.literal("pypi"),
    package: z.string().min(1),
    registry: z.string().url().optional(),
  }),
  z.strictObject({ kind: z.literal("homebrew") }),
  z.strictObject({ kind: z.literal("go"), module: z.string().min(1), registry: z.string().url().optional() }),
]);

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    evidenceDir: z.string().min(1).default(".shipgate"),
    tagPattern: regexString.default(DEFAULT_TAG_PATTERN),
    tracker: trackerConfigSchema,
    github: githubConfigSchema.default(() => githubConfigSchema.parse({})),
    gates: z.array(gateSchema).default([]),
    bench: benchConfigSchema.optional(),
    homebrew: homebrewConfigSchema.optional(),
    channels: z.array(channelSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.gates.forEach((gate, index) => {
      if (ids.has(gate.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["gates", index, "id"],
          message: `duplicate gate id "${gate.id}"`,
        });
      }
      ids.add(gate.id);
    });
    config.gates.forEach((gate, index) => {
      gate.after.forEach((dep, depIndex) => {
        if (!ids.has(dep)) {
          ctx.addIssue({
            code: "custom",
            path: ["gates", index, "after", depIndex],
            message: `unknown gate id "${dep}"`,
          });
        }
      });
    });
    const cycle = findCycle(config.gates);
    if (cycle)
      ctx.addIssue({
        code: "custom",
        path: ["gates"],
        message: `\`after\` forms a cycle: ${cycle.join(" -> ")}`,
      });
  });

export type ShipgateConfig = z.infer<typeof configSchema>;

function findCycle(gates: { id: string; after: string[] }[]): string[] | undefined {
  const deps = new Map(gates.map((g) => [g.id, g.after]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      const found = deps.has(dep) ? visit(dep) : undefined;
      if (found) return found;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of deps.keys()) {
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}

/** JSON Schema of what a user writes (the input side of the transforms). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  });
  return { ...schema, title: "shipgate.yaml", description: "Configuration of the shipgate release manager" };
}
