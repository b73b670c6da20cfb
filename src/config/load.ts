// Finds, parses and validates shipgate.yaml / .yml / .json; every problem is a one-line exit-2 error.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { channelKindNames } from "../channels/index.js";
import { UsageError } from "../errors.js";
import { gateKindNames } from "../gates/kinds/index.js";
import { trackerKindNames } from "../trackers/index.js";
import { configSchema, type ShipgateConfig } from "./schema.js";

// For messages only: which kinds each discriminated list accepts, from the registries.
const KNOWN_KINDS: Record<string, string[]> = {
  gates: gateKindNames,
  tracker: trackerKindNames,
  channels: channelKindNames,
};

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
  if (explicit) {
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

function parseText(file: string, text: string): unknown {
  const display = path.basename(file);
  if (file.endsWith(".json")) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${display}: not valid JSON: ${(err as Error).message}`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos?.[0]
      ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})`
      : "";
    throw new UsageError(`${display}: not valid YAML${where}: ${first.message.split("\n")[0]}`);
  }
  return doc.toJS() ?? {};
}

/** `gates[2].run` style path for messages. */
function formatPath(p: readonly PropertyKey[]): string {
  let out = "";
  for (const part of p) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    const known = KNOWN_KINDS[String(issue.path[0])];
    return `expected \`kind\` to be one of: ${known ? known.join(", ") : "the known kinds"}`;
  }
  return issue.message;
}

function formatIssues(display: string, error: z.ZodError): string {
  const issue = error.issues[0] as z.core.$ZodIssue;
  let at = [...issue.path];
  if (issue.code === "unrecognized_keys" && issue.keys.length === 1) at = [...at, issue.keys[0] as string];
  const more =
    error.issues.length > 1
      ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""})`
      : "";
  return `${display}: ${formatPath(at)}: ${describeIssue(issue)}${more}`;
}

export function parseConfig(file: string, text: string): ShipgateConfig {
  const raw = parseText(file, text);
  const display = path.basename(file);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UsageError(`${display}: expected a mapping of keys at the top level`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new UsageError(formatIssues(display, result.error));
  return result.data;
}

export function loadConfig(cwd: string, explicit?: string, stopAt?: string): LoadedConfig {
  const file = findConfigFile(cwd, explicit, stopAt);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return { config: parseConfig(file, text), file };
}
