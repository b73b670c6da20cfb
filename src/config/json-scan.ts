// A strict JSON syntax check that says where: the offset and key path of the first error (JSON.parse
// often names neither), duplicate keys (JSON.parse keeps the last silently), and where each key is.
export type KeyPath = (string | number)[];

export interface JsonProblem {
  offset: number;
  path: KeyPath;
  message: string;
}

export interface JsonScan {
  problem?: JsonProblem;
  /** Offset of every member (its key) and array element, by JSON.stringify(path). */
  offsets: Map<string, number>;
}

class Stop extends Error {
  constructor(readonly problem: JsonProblem) {
    super(problem.message);
  }
}

// Deeper than any real config; a bound keeps a hostile file from exhausting the stack.
export const MAX_DEPTH = 200;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function scanJson(text: string): JsonScan {
  const offsets = new Map<string, number>();
  let i = 0;
  const fail = (message: string, path: KeyPath, at = i): never => {
    throw new Stop({ offset: Math.min(at, text.length), path, message });
  };
  const describe = () => (i >= text.length ? "the end of the file" : JSON.stringify(text[i]));
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };

  const string = (path: KeyPath): string => {
    const start = i++;
    for (;;) {
      if (i >= text.length) fail("unterminated string", path, start);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail("a control character inside a string (write it escaped)", path);
      if (c === 0x5c) {
        const e = text[i + 1] ?? "";
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("a bad \\u escape", path);
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === "") fail(`a bad escape \\${e}`, path);
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };

  const value = (path: KeyPath): void => {
    ws();
    if (path.length > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`, path.slice(0, 3));
    const c = text[i];
    if (c === "{") {
      object(path);
      return;
    }
    if (c === "[") {
      array(path);
      return;
    }
    if (c === '"') {
      string(path);
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (c !== undefined && /[-\d]/.test(c) && NUMBER.exec(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    fail(`expected a value, found ${describe()}`, path);
  };

  const object = (path: KeyPath): void => {
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      ws();
      if (text[i] !== '"') fail(`expected a key in double quotes, found ${describe()}`, path);
      const at = i;
      const key = string(path);
      const keyPath = [...path, key];
      if (seen.has(key)) fail(`duplicate key "${key}"`, keyPath, at);
      seen.add(key);
      offsets.set(JSON.stringify(keyPath), at);
      ws();
      if (text[i] !== ":") fail(`expected ':' after the key "${key}", found ${describe()}`, keyPath);
      i++;
      value(keyPath);
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      fail(`expected ',' or '}' after the value of "${key}", found ${describe()}`, keyPath);
    }
  };

  const array = (path: KeyPath): void => {
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      ws();
      const itemPath = [...path, index];
      offsets.set(JSON.stringify(itemPath), i);
      value(itemPath);
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      fail(`expected ',' or ']' after element ${index}, found ${describe()}`, itemPath);
    }
  };

  try {
    value([]);
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value`, []);
  } catch (err) {
    if (err instanceof Stop) return { problem: err.problem, offsets };
    throw err;
  }
  return { offsets };
}
