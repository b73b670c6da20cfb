// Test helper: a real GateContext for running one gate kind directly, with an in-memory log.

import { parseConfig } from "../../../src/config/load.js";
import type { ShipgateConfig } from "../../../src/config/schema.js";
import { execShell } from "../../../src/gates/exec.js";
import type { GateContext } from "../../../src/gates/types.js";

export function gateContext(
  repoRoot: string,
  version = "1.2.0",
  config?: ShipgateConfig,
): GateContext & { logged: () => string } {
  let text = "";
  const controller = new AbortController();
  return {
    repoRoot,
    cwd: repoRoot,
    release: { releaseTarget: `v${version}`, baseTag: "none", mode: "dry-run", agent: "test@local" },
    version,
    config: config ?? parseConfig("shipgate.yaml", "gates: []\n"),
    changedFiles: [],
    targetDir: repoRoot,
    log: {
      write: (t) => {
        text += t;
      },
      tail: () => text,
    },
    signal: controller.signal,
    recordBench: () => {},
    exec: (command, options = {}) => execShell(command, { cwd: options.cwd ?? repoRoot, env: options.env }),
    logged: () => text,
  };
}
