// `npm run build`: compiles src/, scripts/ and bench/ to dist/ with esbuild, one output file per source
// file (dist/src, dist/scripts, dist/bench keep the layout, so paths relative to a module hold), then
// bundles the CLI into dist/bin/shipgate.js with a chunk per lazily loaded use-case. Type checking is
// `npm run typecheck` (tsc) on its own: compiling with esbuild takes under a second where tsc's emit took
// ten, and `npm test` builds first. Plain JavaScript so it runs before anything is compiled.
//
// Why the bundle: one file to load instead of ~150 modules halves shipgate's start-up, because resolving
// and reading each ES module costs more than parsing the same code once.
import { readdirSync, rmSync } from "node:fs";
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
await build({
  ...common,
  entryPoints: { shipgate: path.join(root, "src/cli/main.ts") },
  outdir: path.join(root, "dist/bin"),
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  minify: true,
  // Bundled CommonJS dependencies (write-file-atomic, which) expect these.
  banner: {
    js: [
      "import { createRequire as __shipgateRequire } from 'node:module';",
      "import { fileURLToPath as __shipgateToPath } from 'node:url';",
      "const require = __shipgateRequire(import.meta.url);",
      "const __filename = __shipgateToPath(import.meta.url);",
      "const __dirname = __shipgateToPath(new URL('.', import.meta.url));",
    ].join("\n"),
  },
});
