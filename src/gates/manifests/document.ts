// Reads a TOML, JSON or YAML file into data, turning every failure into one short reason.
import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";

export type DocumentFormat = "toml" | "json" | "yaml";

export function documentFormat(file: string): DocumentFormat | null {
  const lower = file.toLowerCase();
  // Cargo.lock, uv.lock and poetry.lock are TOML.
  if (lower.endsWith(".toml") || lower.endsWith(".lock")) return "toml";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  return null;
}

export type DocumentResult = { ok: true; data: unknown } | { ok: false; error: string };

/** `format` defaults to the one the extension names. Never throws. */
export function readDocument(file: string, format = documentFormat(file)): DocumentResult {
  if (!format) return { ok: false, error: "unsupported file type (expected .toml, .lock, .json, .yaml)" };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, error: "file not found" };
    if (code === "EISDIR") return { ok: false, error: "is a directory" };
    return { ok: false, error: `cannot read: ${(err as Error).message}` };
  }
  try {
    if (format === "toml") return { ok: true, data: parseToml(text) };
    // A BOM is legal in a text file and invisible in editors; JSON.parse rejects it.
    if (format === "json") return { ok: true, data: JSON.parse(text.replace(/^\uFEFF/, "")) };
    return { ok: true, data: parseYaml(text) };
  } catch (err) {
    return {
      ok: false,
      error: `cannot parse as ${format.toUpperCase()}: ${(err as Error).message.split("\n")[0]}`,
    };
  }
}
