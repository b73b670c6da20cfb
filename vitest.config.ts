// Test runner configuration: tests live under test/ mirroring src/.
import path from "node:path";
import { defineConfig } from "vitest/config";
import { HeaviestFirst } from "./test/heaviest-first.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most test files wait on child processes, git and loopback servers rather than compute, so more
    // files than cores run at once (vitest's default on two cores is one). Measured on two cores: two
    // workers 105 s, three 92 s, four 99 s (each worker imports shipgate and the tests once more, and
    // four kept the cores busier with that than with tests: 183 s of CPU against three's 166 s).
    maxWorkers: 3,
    // Each worker imports shipgate once for all the files it runs, instead of once per file: most of a
    // small file's cost was that import. Tests restore what they change (cwd, env, the redactor).
    isolate: false,
    // GitHub retries back off in milliseconds, not seconds, so a test of a retried 500 stays fast.
    env: {
      SHIPGATE_GITHUB_RETRY_BASE_MS: "1",
      // Every git the tests start gets an identity and no automatic gc/maintenance (see the file).
      GIT_CONFIG_GLOBAL: path.resolve(import.meta.dirname, "test/helpers/gitconfig"),
      GIT_CONFIG_NOSYSTEM: "1",
    },
    sequence: { sequencer: HeaviestFirst },
    reporters: ["default", "./test/plain-summary-reporter.ts"],
  },
});
