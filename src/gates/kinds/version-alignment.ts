// Gate kind `version-alignment`: every listed manifest's version equals the release target's version.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind, Outcome } from "../types.js";

export const manifestSchema = z.strictObject({
  file: z.string().min(1),
  key: z.string().min(1).optional().meta({
    description: "dotted key path; inferred for Cargo.toml, pyproject.toml, package.json, package-lock.json",
  }),
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
}

// package-lock.json records the version twice; both must agree with the target.
const INFERRED_KEYS: Record<string, string[]> = {
  "Cargo.toml": ["package.version"],
  "pyproject.toml": ["project.version"],
  "package.json": ["version"],
  "package-lock.json": ["version", 'packages."".version'],
};

/** Splits `a.b."c.d".e` into its segments; quoted segments may hold dots or be empty. */
export function splitKeyPath(key: string): string[] {
  const parts: string[] = [];
  const re = /"([^"]*)"|([^.]+)/g;
  for (const match of key.matchAll(re)) parts.push(match[1] ?? match[2] ?? "");
  return parts;
}

function lookup(data: unknown, key: string): unknown {
  let current = data;
  for (const part of splitKeyPath(key)) {
    if (current === null || typeof current !== "object" || !(part in current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function parseManifest(full: string, file: string): unknown {
  const text = readFileSync(full, "utf8");
  if (file.endsWith(".toml")) return parseToml(text);
  if (file.endsWith(".json")) return JSON.parse(text);
  throw new Error("only .toml and .json manifests are supported");
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
  let data: unknown;
  try {
    data = parseManifest(path.resolve(repoRoot, manifest.file), manifest.file);
  } catch (err) {
    const error =
      (err as NodeJS.ErrnoException).code === "ENOENT"
        ? "file not found"
        : `cannot parse: ${(err as Error).message.split("\n")[0]}`;
    return keys.map((key) => ({ file: manifest.file, key, value: null, error }));
  }
  return keys.map((key) => {
    const value = lookup(data, key);
    if (typeof value !== "string" || value === "") {
      return {
        file: manifest.file,
        key,
        value: null,
        error: value === undefined ? "key not found" : `not a version string: ${JSON.stringify(value)}`,
      };
    }
    return { file: manifest.file, key, value };
  });
}

export function readAllVersions(repoRoot: string, manifests: Manifest[]): ManifestVersion[] {
  return manifests.flatMap((m) => readManifestVersions(repoRoot, m));
}

/** Pass only when every value was read and equals `expected`. */
export function alignmentOutcome(versions: ManifestVersion[], expected: string): Outcome {
  const bad = versions.filter((v) => v.value !== expected);
  const describe = (v: ManifestVersion) => `${v.file} ${v.key} = ${v.value ?? `(${v.error})`}`;
  if (bad.length === 0) {
    return {
      status: "pass",
      summary: `${versions.length} version field${versions.length === 1 ? "" : "s"} at ${expected}`,
      details: { expected, versions },
    };
  }
  return {
    status: "fail",
    summary: `expected ${expected}; ${bad.map(describe).join("; ")}`,
    details: { expected, versions },
  };
}

export const versionAlignmentKind: GateKind<VersionAlignmentGate> = {
  kind: "version-alignment",
  description: "Every manifest's version equals the target version.",
  schema: versionAlignmentGateSchema,
  async run(gate, ctx) {
    const versions = readAllVersions(ctx.repoRoot, gate.manifests);
    for (const v of versions) ctx.log.write(`${v.file} ${v.key}: ${v.value ?? `(${v.error})`}\n`);
    return alignmentOutcome(versions, ctx.version);
  },
};
