// Bundles the CLI into dist/bin/shipgate.js (with a chunk per lazily loaded use-case). One file to load
// instead of ~150 modules halves shipgate's start-up: resolving and reading each ES module costs more
// than parsing the same code once.
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// Chunk names carry content hashes: stale ones from an earlier build would pile up.
rmSync(path.join(root, "dist/bin"), { recursive: true, force: true });
await build({
  entryPoints: { shipgate: path.join(root, "src/cli/main.ts") },
  outdir: path.join(root, "dist/bin"),
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  minify: true,
  logLevel: "warning",
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
