// `npm run build`: compiles src/, scripts/ and bench/ to dist/ with esbuild, one output file per source
// file (dist/src, dist/scripts, dist/bench keep the layout, so paths relative to a module hold), then
// bundles the CLI into dist/bin/cli.js behind the launcher dist/bin/shipgate.js, and fills the launcher's
// code cache from a warm-up run. Type checking is `npm run typecheck` (tsc) on its own: compiling with
// esbuild takes under a second where tsc's emit took ten, and `npm test` builds first. Plain JavaScript
// so it runs before anything is compiled.
//
// Why one bundle with a code cache: loading ~150 ES modules costs more than parsing the same code once,
// and deserializing V8's bytecode costs less than parsing and compiling it (figures in
// docs/architecture.md).
import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Every TypeScript source under `dir`, tests excluded. */
function sources(dir) {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => path.join(e.parentPath, e.name));
}

const common = {
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: "linked",
  logLevel: "warning",
};

// Stale outputs of renamed or deleted sources, and old chunks with other content hashes, would pile up.
rmSync(path.join(root, "dist"), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ["src", "scripts", "bench"].flatMap(sources),
  outbase: root,
  outdir: path.join(root, "dist"),
});
// The CLI: one CommonJS bundle (cli.js) behind a small launcher (shipgate.js) that loads it through
// V8's code cache (src/cli/launcher.cts says why). dist/bin/package.json makes its .js files CommonJS.
const bin = path.join(root, "dist/bin");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const inBin = { ...common, outdir: bin, format: "cjs", bundle: true };
await build({
  ...inBin,
  entryPoints: { cli: path.join(root, "src/cli/main.ts") },
  minify: true,
  define: { SHIPGATE_VERSION: JSON.stringify(pkg.version) },
});
// A dynamic import() left in the bundle would fail under vm.Script: every module must be bundled.
if (/\bimport\(/.test(readFileSync(path.join(bin, "cli.js"), "utf8"))) {
  throw new Error("dist/bin/cli.js still contains import(): bundle it");
}
writeFileSync(path.join(bin, "package.json"), '{ "type": "commonjs" }\n');
await build({
  ...inBin,
  entryPoints: { shipgate: path.join(root, "src/cli/launcher.cts") },
  sourcemap: false,
  banner: { js: "#!/usr/bin/env node" },
});
chmodSync(path.join(bin, "shipgate.js"), 0o755);

// The code cache, from a warm-up run in a fresh node (the cache must match a plain `node` start).
const warmup = spawnSync(process.execPath, [path.join(root, "dist/scripts/code-cache.js")], {
  stdio: "inherit",
});
if (warmup.status !== 0)
  console.warn(`build: the code cache warm-up exited ${warmup.status}; shipgate starts slower`);
