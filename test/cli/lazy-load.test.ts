// `--version` and `--help` evaluate the CLI's shell and commander, and no use-case module or heavy
// library: the bundle is built here unminified (as the build does, format and all), with esbuild's lazy
// module helpers counting which modules' bodies ran, and run in-process.
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
type Run = (argv: string[], io: object) => Promise<number>;
let source = "";

beforeAll(async () => {
  const out = await build({
    entryPoints: [path.join(root, "src/cli/main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    logLevel: "silent",
  });
  const text = out.outputFiles[0]?.text ?? "";
  // esbuild's helpers for lazily evaluated ES modules (__esm) and CommonJS modules (__commonJS): each
  // records the module's path the first time its body runs.
  const patched = text
    .replace(
      "var __esm = (fn, res) => function __init() {",
      "var __esm = (fn, res) => function __init() {\n  if (fn) __evaluated.push(__getOwnPropNames(fn)[0]);",
    )
    .replace(
      "var __commonJS = (cb, mod) => function __require() {",
      "var __commonJS = (cb, mod) => function __require() {\n  if (cb) __evaluated.push(__getOwnPropNames(cb)[0]);",
    );
  expect(patched.match(/__evaluated\.push/g)).toHaveLength(2);
  source = patched;
});

/** The modules whose bodies ran for one invocation, in a fresh copy of the bundle. */
async function evaluatedBy(args: string[]): Promise<string[]> {
  const evaluated: string[] = [];
  const factory = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __evaluated) {${source}\n})`,
  ).runInThisContext() as (...a: unknown[]) => void;
  const mod = { exports: {} as { run: Run } };
  factory(
    mod.exports,
    createRequire(import.meta.url),
    mod,
    path.join(root, "dist/bin/cli.js"),
    root,
    evaluated,
  );
  const sink = { write: () => true };
  await mod.exports.run(["node", "shipgate", ...args], { stdout: sink, stderr: sink, env: process.env });
  return [...new Set(evaluated)];
}

const USE_CASES =
  /^src\/(gates|pipeline|github|channels|config|context|trackers|bench|report|homebrew|artifacts)\//;

describe("what a start evaluates", () => {
  it.each([[["--version"]], [["--help"]], [["help", "gates"]]])(
    "shipgate %j: the shell and commander only",
    async (args) => {
      const evaluated = await evaluatedBy(args);
      expect(
        evaluated.filter((m) => m.startsWith("node_modules/") && !m.startsWith("node_modules/commander/")),
      ).toEqual([]);
      expect(evaluated.filter((m) => USE_CASES.test(m))).toEqual([]);
    },
  );

  it("a command that needs its libraries evaluates them (the count above can fail)", async () => {
    const evaluated = await evaluatedBy(["config", "schema"]);
    expect(evaluated.some((m) => m.startsWith("node_modules/zod/"))).toBe(true);
    expect(evaluated.some((m) => m.startsWith("src/config/"))).toBe(true);
  });
});
