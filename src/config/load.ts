// Finds, parses and validates shipgate.yaml / .yml / .json; every problem is a one-line exit-2 error.
import { existsSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { UsageError } from "../errors.js";
import { withRepoRoot } from "./repo-path.js";
import { configSchema, type ShipgateConfig } from "./schema.js";
import { type ConfigSource, decodeConfig, parseSource, problemLine, readConfigBytes } from "./source.js";
import { closest, suggestion } from "./suggest.js";

const CONFIG_NAMES = ["shipgate.yaml", "shipgate.yml", "shipgate.json"];

export interface LoadedConfig {
  config: ShipgateConfig;
  /** Absolute path of the file read. */
  file: string;
}

/**
 * The explicit file, else the nearest directory from `cwd` up to `stopAt` (the repository root) that
 * holds a config; two candidates in that directory are refused rather than one silently winning.
 */
function findConfigFile(cwd: string, explicit?: string, stopAt?: string): string {
  if (explicit !== undefined) {
    if (explicit.trim() === "") throw new UsageError("--config names no file");
    // The extension decides how it is read: anything else would be read as YAML, whatever it holds.
    if (!/\.(ya?ml|json)$/i.test(explicit)) {
      throw new UsageError(`--config ${explicit} is not a .yaml, .yml or .json file`);
    }
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`config file ${explicit} does not exist`);
    return file;
  }
  const top = path.resolve(stopAt ?? cwd);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = CONFIG_NAMES.map((name) => path.join(dir, name)).filter((file) => existsSync(file));
    if (found.length > 1) {
      throw new UsageError(
        `both ${found.map((f) => path.basename(f)).join(" and ")} exist in ${dir}; shipgate will not guess which one counts`,
        "remove one, or pass --config <file>",
      );
    }
    if (found[0]) return found[0];
    const inside = path.relative(top, dir);
    if (dir === top || inside.startsWith("..") || path.isAbsolute(inside) || dir === path.dirname(dir)) break;
  }
  throw new UsageError(
    `no ${CONFIG_NAMES.join(", ")} in ${cwd}${stopAt && path.resolve(stopAt) !== path.resolve(cwd) ? ` or above it up to ${top}` : ""}`,
    "pass --config <file>, or create one (a file holding `gates: []` is valid)",
  );
}

/** A per-parse zod error map: unknown keys and kinds say what was probably meant. */
function explain(issue: z.core.$ZodRawIssue): string | undefined {
  const def = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(def?.shape ?? {});
    const keys = issue.keys as string[];
    if (keys.length === 1)
      return `unknown key "${keys[0]}"${suggestion(keys[0] as string, known, "known keys")}`;
    const named = keys.map((k) => {
      const near = closest(k, known);
      return `"${k}"${near ? ` (did you mean "${near}"?)` : ""}`;
    });
    const unmatched = keys.some((k) => closest(k, known) === undefined);
    return `unknown keys ${named.join(", ")}${unmatched ? ` (known keys: ${known.join(", ")})` : ""}`;
  }
  if (issue.code === "invalid_union" && issue.note === "No matching discriminator") {
    const field = String(issue.discriminator ?? "kind");
    const values = (issue.inst as { _zod?: { propValues?: Record<string, Set<unknown>> } } | undefined)?._zod
      ?.propValues?.[field];
    const known = [...(values ?? [])].filter((v): v is string => typeof v === "string");
    const input = issue.input as Record<string, unknown> | undefined;
    const given = input && typeof input === "object" ? input[field] : undefined;
    const expected = `expected \`${field}\` to be one of: ${known.join(", ")}`;
    if (given === undefined) return `missing \`${field}\`; ${expected}`;
    if (typeof given !== "string") return expected;
    const near = closest(given, known);
    return `unknown ${field} "${given}"${near ? ` (did you mean "${near}"?)` : ""}; ${expected}`;
  }
  return undefined;
}

/**
 * One line for a union none of whose forms matched: when every form failed on the value's type, the
 * types expected; otherwise the problem of the form that got furthest (e.g. a list with a bad element).
 */
function unionProblem(issue: z.core.$ZodIssue, raw: unknown): { path: PropertyKey[]; message: string } {
  const branches = "errors" in issue ? (issue.errors as z.core.$ZodIssue[][]) : [];
  const firsts = branches.map((b) => b[0]).filter((i): i is z.core.$ZodIssue => i !== undefined);
  const deepest = [...firsts].sort((a, b) => b.path.length - a.path.length)[0];
  if (deepest && deepest.path.length > 0) {
    const inner =
      deepest.code === "invalid_union"
        ? unionProblem(deepest, valueAt(raw, issue.path))
        : { path: deepest.path, message: deepest.message };
    return { path: [...issue.path, ...inner.path], message: inner.message };
  }
  const expected = firsts.flatMap((i) => (i.code === "invalid_type" ? [i.expected] : []));
  if (expected.length === firsts.length && expected.length > 0) {
    const input = valueAt(raw, issue.path);
    const types = [...new Set(expected)].join(" or ");
    if (input === undefined) return { path: issue.path, message: `missing (expected ${types})` };
    const got = Array.isArray(input) ? "a list" : input === null ? "null" : typeof input;
    // The right type with an unusable value (e.g. a YAML number too large: Infinity).
    if (expected.includes(got)) return { path: issue.path, message: `not a usable ${got}: ${String(input)}` };
    return { path: issue.path, message: `expected ${types}, got ${got}` };
  }
  return { path: issue.path, message: firsts[0]?.message ?? issue.message };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function formatIssues(display: string, error: z.ZodError, source: ConfigSource): string {
  // A mistyped key also leaves the right one missing: the unknown key, with its did-you-mean, says more.
  const issue = (error.issues.find((i) => i.code === "unrecognized_keys") ??
    error.issues[0]) as z.core.$ZodIssue;
  let at: PropertyKey[] = [...issue.path];
  let message = issue.message;
  if (issue.code === "invalid_type" && valueAt(source.data, issue.path) === undefined) {
    message = `missing (expected ${issue.expected})`;
  }
  if (issue.code === "unrecognized_keys" && issue.keys.length === 1) at = [...at, issue.keys[0] as string];
  if (issue.code === "invalid_union" && !("note" in issue && issue.note))
    ({ path: at, message } = unionProblem(issue, source.data));
  const more =
    error.issues.length > 1
      ? `; and ${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""}`
      : "";
  return problemLine(display, at, `${message}${more}`, source.locate(at));
}

export interface ParseOptions {
  /** How the file is named in messages (default: its base name). */
  display?: string;
  /** The repository: paths in the config are then also checked against the file system. */
  repoRoot?: string;
}

export function parseConfig(file: string, text: string, options: ParseOptions = {}): ShipgateConfig {
  const display = options.display ?? path.basename(file);
  const source = parseSource(display, /\.json$/i.test(file) ? "json" : "yaml", text);
  const raw = source.data;
  if (raw === null || raw === undefined) {
    throw new UsageError(`${display}: holds no settings`, "a config with no gates yet holds `gates: []`");
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new UsageError(
      problemLine(display, [], "expected a mapping of keys at the top level", source.locate([])),
    );
  }
  const result = withRepoRoot(options.repoRoot, () => configSchema.safeParse(raw, { error: explain }));
  if (!result.success) throw new UsageError(formatIssues(display, result.error, source));
  return result.data;
}

/** The file as messages name it: relative to where the command runs, unless it lies elsewhere. */
function displayName(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

export function loadConfig(cwd: string, explicit?: string, stopAt?: string): LoadedConfig {
  const file = findConfigFile(cwd, explicit, stopAt);
  const display = displayName(cwd, file);
  const text = decodeConfig(display, readConfigBytes(file, display));
  return { config: parseConfig(file, text, { display, ...(stopAt ? { repoRoot: stopAt } : {}) }), file };
}
