// Key paths into parsed TOML/JSON/YAML documents: `package.version`, `packages."".version`,
// `package[name=plasmite].version` (the element of an array of tables whose field equals a value).
// Hand-written: no installed library addresses TOML/JSON/YAML data with this (small) syntax.
import * as z from "zod";

export type Selector = { field: string; equals: string } | { index: number };
export interface KeySegment {
  key: string;
  selectors: Selector[];
}

const unquote = (s: string) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/** Throws on a malformed path, naming the position. */
export function parseKeyPath(path: string): KeySegment[] {
  const segments: KeySegment[] = [];
  const body = String.raw`\d+|[^\]=]+=(?:"[^"]*"|[^\]]*)`;
  const selector = new RegExp(String.raw`\[(${body})\]`, "g");
  const re = new RegExp(String.raw`("[^"]*"|[^."[\]]+)((?:\[(?:${body})\])*)(\.|$)`, "y");
  let at = 0;
  while (at < path.length) {
    re.lastIndex = at;
    const match = re.exec(path);
    if (!match) throw new Error(`malformed key path "${path}" at character ${at + 1}`);
    const selectors = [...(match[2] ?? "").matchAll(selector)].map((m): Selector => {
      const body = m[1] ?? "";
      if (/^\d+$/.test(body)) return { index: Number(body) };
      const eq = body.indexOf("=");
      return { field: body.slice(0, eq).trim(), equals: unquote(body.slice(eq + 1).trim()) };
    });
    segments.push({ key: unquote(match[1] ?? ""), selectors });
    at = re.lastIndex;
    if (match[3] === "." && at === path.length)
      throw new Error(`malformed key path "${path}": ends with "."`);
  }
  if (segments.length === 0) throw new Error("empty key path");
  return segments;
}

export type Lookup = { found: true; value: unknown } | { found: false; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Own properties only: a path such as `constructor` must not find Object.prototype's. */
export function lookupKeyPath(data: unknown, path: string): Lookup {
  let current = data;
  const walked: string[] = [];
  for (const segment of parseKeyPath(path)) {
    const where = walked.length ? ` under ${walked.join(".")}` : "";
    if (!isRecord(current) || !Object.hasOwn(current, segment.key))
      return { found: false, reason: `no \`${segment.key}\`${where}` };
    current = current[segment.key];
    walked.push(segment.key);
    for (const selector of segment.selectors) {
      if (!Array.isArray(current)) return { found: false, reason: `${walked.join(".")} is not an array` };
      if ("index" in selector) {
        if (selector.index >= current.length)
          return { found: false, reason: `${walked.join(".")} has no element ${selector.index}` };
        current = current[selector.index];
        walked.push(`[${selector.index}]`);
        continue;
      }
      const hits = current.filter(
        (el) =>
          isRecord(el) && Object.hasOwn(el, selector.field) && String(el[selector.field]) === selector.equals,
      );
      const label = `${walked.join(".")}[${selector.field}=${selector.equals}]`;
      if (hits.length === 0) return { found: false, reason: `no element ${label}` };
      // Two matches would make the answer depend on order: refuse rather than pick one.
      if (hits.length > 1) return { found: false, reason: `${hits.length} elements match ${label}` };
      current = hits[0];
      walked.push(`[${selector.field}=${selector.equals}]`);
    }
  }
  return { found: true, value: current };
}

/** A config field holding a key path: refused at load time when malformed. */
export const keyPathSchema = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      parseKeyPath(value);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
    }
  });
