// The config file as text and data: read, decoded and parsed so that every way it can be malformed is one
// exit-2 line naming the file, the key path and the line and column, and every key can be located later.

import { isUtf8 } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  visit,
} from "yaml";
import { UsageError } from "../errors.js";
import { type KeyPath, MAX_DEPTH, scanJson } from "./json-scan.js";

export interface Position {
  line: number;
  column: number;
}

export interface ConfigSource {
  data: unknown;
  /** Where the value at `path` (or, when it is absent, its nearest ancestor) is written. */
  locate(path: readonly PropertyKey[]): Position | undefined;
}

// A path deeper than this is shown cut short: a hostile nesting must not make a screen-long line.
const SHOWN_DEPTH = 12;

/** `gates[2].run`, `gates[0].env["A.B"]`; "(top level)" for the empty path. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = "";
  for (const part of p.slice(0, SHOWN_DEPTH)) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(part))) out += `${out ? "." : ""}${String(part)}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  if (p.length > SHOWN_DEPTH) out += `…(${p.length - SHOWN_DEPTH} levels more)`;
  return out || "(top level)";
}

/** One line: `file: key.path: what is wrong (line L, column C)`. */
export function problemLine(
  display: string,
  path: readonly PropertyKey[] | undefined,
  message: string,
  at?: Position,
): string {
  const where = at ? ` (line ${at.line}, column ${at.column})` : "";
  return `${display}: ${path && path.length > 0 ? `${formatPath(path)}: ` : ""}${message}${where}`;
}

function positionAt(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
function invalidUtf8At(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n > bytes.length - 1) return i;
    for (let k = 1; k <= n; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    const next = bytes[i + 1] as number;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    if ((c === 0xe0 && next < 0xa0) || (c === 0xed && next > 0x9f)) return i;
    if ((c === 0xf0 && next < 0x90) || (c === 0xf4 && next > 0x8f)) return i;
    i += n + 1;
  }
  return -1;
}

function bytePosition(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

// Far beyond any real config; reading an arbitrary file whole into memory is not.
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads the file's bytes; a directory, a special file or an unreadable file is refused by name. */
export function readConfigBytes(file: string, display: string): Buffer {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" || code === "ENOTDIR"
        ? "does not exist"
        : `cannot be read: ${code ?? (err as Error).message}`;
    throw new UsageError(`${display}: ${why}`);
  }
  if (stat.isDirectory()) {
    throw new UsageError(`${display}: is a directory, not a config file`, "pass --config <file>");
  }
  if (!stat.isFile()) throw new UsageError(`${display}: is not a regular file`);
  if (stat.size > MAX_CONFIG_BYTES) {
    throw new UsageError(`${display}: is ${stat.size} bytes; a config is at most ${MAX_CONFIG_BYTES} bytes`);
  }
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : (err as Error).message;
    throw new UsageError(
      `${display}: cannot be read: ${why}`,
      `check the file's permissions (ls -l ${display})`,
    );
  }
}

/** The bytes as text: UTF-8 only, so that what shipgate reads is what an editor shows. */
export function decodeConfig(display: string, bytes: Uint8Array): string {
  if (!isUtf8(bytes)) {
    const at = invalidUtf8At(bytes);
    const offset = Math.max(at, 0);
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    throw new UsageError(
      problemLine(display, undefined, `not UTF-8: byte 0x${byte} starts no valid character`, {
        ...bytePosition(bytes, offset),
      }),
      "save the file as UTF-8",
    );
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

// Invisible or terminal-controlling characters: C0/C1 controls (tab, newline and carriage return
// aside), bidirectional overrides and byte-order marks. A config must read as it runs.
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/;

function checkText(display: string, text: string): void {
  if (text.startsWith("\uFEFF")) {
    throw new UsageError(
      problemLine(display, undefined, "starts with a byte-order mark U+FEFF", { line: 1, column: 1 }),
      "save the file as UTF-8 without a BOM",
    );
  }
  const hidden = HIDDEN.exec(text);
  if (hidden) {
    const code = (hidden[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    throw new UsageError(
      problemLine(
        display,
        undefined,
        `holds the invisible or control character U+${code}`,
        positionAt(text, hidden.index),
      ),
      "remove it (write it as an escape inside a quoted string if it is meant)",
    );
  }
  if (text.trim() === "") {
    throw new UsageError(
      `${display}: is empty`,
      "a config with no gates yet holds `gates: []`; see shipgate config schema",
    );
  }
}

function parseJson(display: string, text: string): ConfigSource {
  const scan = scanJson(text);
  if (scan.problem) {
    const { offset, path, message } = scan.problem;
    throw new UsageError(problemLine(display, path, `not valid JSON: ${message}`, positionAt(text, offset)));
  }
  const data: unknown = JSON.parse(text);
  return {
    data,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const offset = scan.offsets.get(JSON.stringify(path.slice(0, n)));
        if (offset !== undefined) return positionAt(text, offset);
      }
      return undefined;
    },
  };
}

const isMergeKey = (key: unknown) =>
  isScalar(key) && (key.source === "<<" || key.value === "<<") && key.type === "PLAIN";

/** The node at `path`, following aliases and merge keys; else the deepest ancestor found. */
function findNode(doc: Document, path: readonly PropertyKey[]): Node | undefined {
  const resolve = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  const member = (map: unknown, key: string, depth: number): Pair | undefined => {
    if (!isMap(map) || depth > 8) return undefined;
    const own = map.items.find((p) => isScalar(p.key) && !isMergeKey(p.key) && String(p.key.value) === key);
    if (own) return own as Pair;
    for (const pair of map.items.filter((p) => isMergeKey(p.key))) {
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const hit = member(resolve(source), key, depth + 1);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  let node = resolve(doc.contents);
  let found = isNode(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    let next: unknown;
    if (isSeq(node) && typeof part === "number") next = node.items[part];
    else if (isMap(node)) {
      const pair = member(node, String(part), 0);
      // The last step points at the key itself (where a reader looks); inner steps descend into values.
      next = pair ? (i === path.length - 1 ? pair.key : pair.value) : undefined;
    }
    next = resolve(next);
    if (!isNode(next)) break;
    node = next;
    found = next;
  }
  return found;
}

function yamlPath(doc: Document, offset: number): KeyPath {
  const path: KeyPath = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < MAX_DEPTH && node; depth++) {
    const inside = (n: unknown) => {
      const range = (n as Node | null)?.range;
      return range ? range[0] <= offset && offset < Math.max(range[1], range[2]) : false;
    };
    if (isMap(node)) {
      const pair = node.items.find((p) => inside(p.key) || inside(p.value));
      if (!pair || !isScalar(pair.key)) break;
      path.push(isMergeKey(pair.key) ? "<<" : String(pair.key.value));
      if (inside(pair.key)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => inside(item));
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return path;
}

// Each alias use counts; a few hundred is far beyond any real config and far below a billion laughs.
const MAX_ALIAS_COUNT = 100;

function parseYaml(display: string, text: string): ConfigSource {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number) => positionAt(text, offset);
  const first = doc.errors[0] ?? doc.warnings[0];
  if (first) {
    const offset = first.pos[0];
    const path = yamlPath(doc, offset);
    const message =
      first.code === "DUPLICATE_KEY"
        ? `duplicate key "${String(path[path.length - 1] ?? text.slice(first.pos[0], first.pos[1]))}"`
        : /call stack/i.test(first.message)
          ? "nested too deeply"
          : first.message.split("\n")[0];
    throw new UsageError(problemLine(display, path, `not valid YAML: ${message}`, at(offset)));
  }
  // Aliases and merge keys are checked before the data is built, so the error can say where.
  let problem: { offset: number; message: string } | undefined;
  visit(doc, {
    Alias(_key, alias) {
      if (!problem && !alias.resolve(doc)) {
        problem = {
          offset: alias.range?.[0] ?? 0,
          message: `the alias *${alias.source} names no anchor defined before it`,
        };
      }
    },
    Pair(_key, pair) {
      if (problem || !isPair(pair) || !isMergeKey(pair.key)) return;
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const target = isAlias(source) ? source.resolve(doc) : source;
        if (isAlias(source) && !target) continue; // reported as an undefined alias
        if (!isMap(target)) {
          problem = {
            offset: (source as Node | null)?.range?.[0] ?? (pair.key as Node).range?.[0] ?? 0,
            message: `a merge key << must name a mapping (an anchor on a mapping), not ${
              isSeq(target) ? "a list" : "a single value"
            }`,
          };
        }
      }
    },
  });
  if (problem) {
    throw new UsageError(
      problemLine(
        display,
        yamlPath(doc, problem.offset),
        `not valid YAML: ${problem.message}`,
        at(problem.offset),
      ),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = (err as Error).message.split("\n")[0] ?? "";
    if (/alias count/i.test(message)) {
      throw new UsageError(
        `${display}: not valid YAML: its aliases expand to more than ${MAX_ALIAS_COUNT} copies (an alias bomb?)`,
        "use fewer aliases, or write the values out",
      );
    }
    if (err instanceof RangeError) {
      throw new UsageError(`${display}: not valid YAML: nested too deeply`);
    }
    throw new UsageError(`${display}: not valid YAML: ${message}`);
  }
  return {
    data,
    locate(path) {
      const node = findNode(doc, path);
      const offset = node?.range?.[0];
      return offset === undefined ? undefined : at(offset);
    },
  };
}

/** Parses the text as JSON (for `.json`) or YAML; every failure is one UsageError line. */
export function parseSource(display: string, format: "json" | "yaml", text: string): ConfigSource {
  checkText(display, text);
  try {
    return format === "json" ? parseJson(display, text) : parseYaml(display, text);
  } catch (err) {
    // A stack exhausted by a hostile nesting depth is malformed input, not a crash.
    if (err instanceof RangeError) throw new UsageError(`${display}: nested too deeply to read`);
    throw err;
  }
}
