// The `shipgate` binary (dist/bin/shipgate.js): loads the bundled CLI (dist/bin/cli.js) through V8's code
// cache, so a start deserializes bytecode instead of parsing and compiling a megabyte of JavaScript.
//
// Written by hand, and CommonJS, because Node 20 has no code cache for ES modules or for `require` (22's
// module.enableCompileCache has); vm.Script's cachedData is the supported API underneath. The cache only
// ever saves work: V8 rejects one made by another V8 or under other flags and compiles as usual, and the
// cache is named after a hash of the bundle's content, so the cache of another bundle is never
// offered (V8's own check compares only the source's length, and would run stale bytecode).
import { isAscii } from "node:buffer";
import { hash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

/** What the bundle (src/cli/main.ts) exports. */
export interface CliBundle {
  main(argv: string[]): void;
  run(
    argv: string[],
    io?: {
      stdout: { write(t: string): unknown };
      stderr: { write(t: string): unknown };
      env: NodeJS.ProcessEnv;
    },
  ): Promise<number>;
}

export const BUNDLE_FILE = "cli.js";

/** The cache file for this bundle's content: named by its hash, so an edited or rebuilt bundle never
 * meets the bytecode of another (SHA-1 as a checksum here, not against an adversary: whoever can edit
 * the bundle can edit its cache). */
export function cacheFileOf(source: string, dir: string): string {
  return path.join(dir, `cli.${hash("sha1", source)}.cache`);
}

export interface LoadedCli {
  cli: CliBundle;
  /** The compiled bundle: `createCachedData()` after a warm-up is what the build stores. */
  script: vm.Script;
  cacheFile: string;
  cacheRejected: boolean;
}

export function loadCli(dir: string = __dirname): LoadedCli {
  const file = path.join(dir, BUNDLE_FILE);
  // esbuild writes ASCII, read as a one-byte string without UTF-8 decoding (4 of ~13 ms here).
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  const cacheFile = cacheFileOf(source, dir);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache for this content (a build whose warm-up failed, an edited bundle): compiled as usual.
  }
  // The same wrapper Node's CommonJS loader puts around a module, so the bundle sees what `require` gives.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const factory = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {} };
  factory.call(module.exports, module.exports, createRequire(file), module, file, dir);
  return {
    cli: module.exports as CliBundle,
    script,
    cacheFile,
    cacheRejected: cachedData !== undefined && script.cachedDataRejected === true,
  };
}

if (require.main === module) {
  let cli: CliBundle;
  try {
    cli = loadCli().cli;
  } catch (err) {
    // A broken installation (the bundle missing or unreadable) decides nothing: exit 3, never 0 or 1.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `shipgate: error: cannot load shipgate itself: ${message.split("\n")[0]}\nhint: reinstall shipgate (or run npm run build in its checkout)\n`,
    );
    process.exit(3);
  }
  cli.main(process.argv);
}
