// Runs one configured gate outside `shipgate gates` (for `versions`, `notices`, `contract`), with an
// in-memory log and no ledger: the same kind code decides, so the command and the gate cannot disagree.

import type { Project } from "../cli/runtime.js";
import type { GateConfig } from "../config/schema.js";
import type { ReleaseContext } from "../context/inputs.js";
import { errorMessage } from "../errors.js";
import { redactor } from "../evidence/redact.js";
import { execShell } from "./exec.js";
import { findGateKind } from "./kinds/index.js";
import type { GateContext, GateLog, Outcome } from "./types.js";

class MemoryLog implements GateLog {
  private text = "";
  write(chunk: string): void {
    this.text += redactor().redact(chunk);
  }
  tail(count = 40): string {
    return this.text.split("\n").slice(-count).join("\n");
  }
}

/** `version` is the version to compare against (may be empty when the kind does not need one). */
export async function runStandalone(project: Project, gate: GateConfig, version: string): Promise<Outcome> {
  const kind = findGateKind(gate.kind);
  if (!kind) return { status: "incomplete", summary: `unknown gate kind ${gate.kind}` };
  const release: ReleaseContext = {
    releaseTarget: version ? `v${version}` : "",
    baseTag: "none",
    mode: "dry-run",
    agent: "standalone@local",
  };
  const controller = new AbortController();
  const ctx: GateContext = {
    repoRoot: project.repoRoot,
    cwd: project.repoRoot,
    release,
    version,
    config: project.config,
    changedFiles: [],
    targetDir: project.repoRoot,
    log: new MemoryLog(),
    signal: controller.signal,
    // Standalone runs keep no ledger.
    recordBench: () => {},
    exec: (command, options = {}) =>
      execShell(command, {
        cwd: options.cwd ?? project.repoRoot,
        env: { ...gate.env, ...options.env },
        signal: controller.signal,
      }),
  };
  try {
    return await kind.run(gate, ctx);
  } catch (err) {
    return { status: "incomplete", summary: `gate crashed: ${errorMessage(err)}` };
  }
}

export function gatesOfKind<K extends GateConfig["kind"]>(
  gates: GateConfig[],
  kind: K,
): Extract<GateConfig, { kind: K }>[] {
  return gates.filter((g): g is Extract<GateConfig, { kind: K }> => g.kind === kind);
}
