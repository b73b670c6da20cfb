// Gate kind `version-alignment`: every listed manifest's version equals the release target's version.
// A file that is missing or unparsable, or a key that is absent or not a string, is a failure naming it.
import path from "node:path";
import * as z from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import { repoPath } from "../../config/repo-path.js";
import { documentFormat, readDocument } from "../manifests/document.js";
import { keyPathSchema, lookupKeyPath } from "../manifests/key-path.js";
import { defineGateKind, type Outcome } from "../types.js";

// package-lock.json records the version twice; both must agree with the target.
const INFERRED_KEYS: Record<string, string[]> = {
  "Cargo.toml": ["package.version"],
  "pyproject.toml": ["project.version"],
  "package.json": ["version"],
  "package-lock.json": ["version", 'packages."".version'],
};

// A manifest whose version cannot be read is refused at load (naming it), not found out in the gate.
export const manifestSchema = z
  .strictObject({
    file: repoPath("file").meta({ description: "a .toml, .lock (TOML), .json or .yaml file" }),
    key: keyPathSchema.optional().meta({
      description:
        'dotted key path, e.g. tool.poetry.version, packages."".version, package[name=plasmite].version; inferred for Cargo.toml, pyproject.toml, package.json, package-lock.json',
    }),
  })
  .superRefine((manifest, ctx) => {
    const name = path.basename(manifest.file);
    if (documentFormat(manifest.file) === null) {
      ctx.addIssue({
        code: "custom",
        path: ["file"],
        message: `"${manifest.file}" is not a .toml, .lock, .json, .yaml or .yml file, so no version can be read from it`,
      });
    } else if (manifest.key === undefined && !INFERRED_KEYS[name]) {
      ctx.addIssue({
        code: "custom",
        message: `no \`key\` given for ${manifest.file}, and none can be inferred for ${name} (only for ${Object.keys(INFERRED_KEYS).join(", ")}); add key: <dotted path to the version>`,
      });
    }
  });
export type Manifest = z.infer<typeof manifestSchema>;

export const versionAlignmentGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("version-alignment"),
  manifests: z.array(manifestSchema).min(1),
});
export type VersionAlignmentGate = z.infer<typeof versionAlignmentGateSchema>;

/** One version read from one place; `value` is null when it could not be read (with `error`). */
export interface ManifestVersion {
  file: string;
  key: string;
  value: string | null;
  error?: string;
  /** Set when the value is inherited from a Cargo workspace: where it was read. */
  inheritedFrom?: string;
}

const holdsVersion = (v: unknown) => Array.isArray(v) && v.includes("version");
const isWorkspaceInherited = (v: unknown) =>
  v !== null && typeof v === "object" && (v as Record<string, unknown>).workspace === true;

/**
 * Cargo's rule for `version.workspace = true`: the nearest Cargo.toml with a [workspace] table,
 * from the member's own directory upwards, supplies workspace.package.version. Stops at the repo root.
 */
function workspaceVersion(repoRoot: string, memberFile: string): ManifestVersion {
  const key = "workspace.package.version";
  let dir = path.dirname(path.resolve(repoRoot, memberFile));
  for (;;) {
    const candidate = path.join(dir, "Cargo.toml");
    const doc = readDocument(candidate, "toml");
    const rel = path.relative(repoRoot, candidate).split(path.sep).join("/");
    if (doc.ok && lookupKeyPath(doc.data, "workspace").found) {
      const found = lookupKeyPath(doc.data, key);
      const value = found.found && typeof found.value === "string" && found.value ? found.value : null;
      return {
        file: memberFile,
        key: "package.version",
        value,
        inheritedFrom: `${rel} ${key}`,
        ...(value === null ? { error: `inherits from ${rel}, which has no ${key} string` } : {}),
      };
    }
    const parent = path.dirname(dir);
    if (path.relative(repoRoot, dir) === "" || parent === dir)
      return {
        file: memberFile,
        key: "package.version",
        value: null,
        error: "inherits the workspace version, but no workspace Cargo.toml was found",
      };
    dir = parent;
  }
}

export function readManifestVersions(repoRoot: string, manifest: Manifest): ManifestVersion[] {
  const keys = manifest.key ? [manifest.key] : INFERRED_KEYS[path.basename(manifest.file)];
  if (!keys) {
    return [
      {
        file: manifest.file,
        key: "?",
        value: null,
        error: "no `key` given and none can be inferred from the file name",
      },
    ];
  }
  const doc = readDocument(path.resolve(repoRoot, manifest.file));
  if (!doc.ok) return keys.map((key) => ({ file: manifest.file, key, value: null, error: doc.error }));
  return keys.map((key) => {
    const found = lookupKeyPath(doc.data, key);
    if (!found.found) {
      const dynamic = lookupKeyPath(doc.data, "project.dynamic");
      const why =
        key === "project.version" && dynamic.found && holdsVersion(dynamic.value)
          ? "the version is dynamic (project.dynamic); set `key` to where it is written"
          : `key not found: ${found.reason}`;
      return { file: manifest.file, key, value: null, error: why };
    }
    if (
      key === "package.version" &&
      path.basename(manifest.file) === "Cargo.toml" &&
      isWorkspaceInherited(found.value)
    )
      return workspaceVersion(repoRoot, manifest.file);
    if (typeof found.value !== "string" || found.value === "")
      return {
        file: manifest.file,
        key,
        value: null,
        error: `not a version string: ${JSON.stringify(found.value)}`,
      };
    return { file: manifest.file, key, value: found.value };
  });
}

/** Every manifest's versions, each file+key once even when several gates list it. */
export function readAllVersions(repoRoot: string, manifests: Manifest[]): ManifestVersion[] {
  const seen = new Set<string>();
  return manifests
    .flatMap((m) => readManifestVersions(repoRoot, m))
    .filter((v) => {
      const id = `${v.file}\0${v.key}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
}

export function describeVersion(v: ManifestVersion): string {
  const via = v.inheritedFrom ? ` (from ${v.inheritedFrom})` : "";
  return `${v.file} ${v.key} = ${v.value ?? `(${v.error})`}${v.value !== null ? via : ""}`;
}

/** Pass only when every value was read and equals `expected`. */
export function alignmentOutcome(versions: ManifestVersion[], expected: string): Outcome {
  const bad = versions.filter((v) => v.value !== expected);
  const n = versions.length;
  if (n > 0 && bad.length === 0) {
    return {
      status: "pass",
      summary: `${n} version field${n === 1 ? "" : "s"} at ${expected}`,
      details: { expected, versions },
    };
  }
  return {
    status: "fail",
    summary:
      n === 0
        ? "no version field to compare"
        : `expected ${expected}; ${bad.map(describeVersion).join("; ")}`,
    details: { expected, versions },
  };
}

export const versionAlignmentKind = defineGateKind({
  kind: "version-alignment",
  description: "Every manifest's version equals the target version.",
  schema: versionAlignmentGateSchema,
  async run(gate, ctx) {
    const versions = readAllVersions(ctx.repoRoot, gate.manifests);
    for (const v of versions) ctx.log.write(`${describeVersion(v)}\n`);
    return alignmentOutcome(versions, ctx.version);
  },
});
