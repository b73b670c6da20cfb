// Runs the configured gates of one kind outside `shipgate gates` (for `notices` and `contract`), with
// an in-memory log and no ledger, through the same executor as the engine, so the command and the
// gate cannot disagree.
import type { ProjectOptions } from "../context/project.js";
import { loadProject } from "../context/project.js";
import { UsageError } from "../errors.js";
import type { NextStep } from "../evidence/next-step.js";
import { redactor } from "../evidence/redact.js";
import type { Outcome } from "../types.js";
import { executeGate } from "./execute.js";
import type { GateConfig } from "./kinds/index.js";
import type { GateLog } from "./types.js";
import { exitCodeForStatuses } from "./verdict.js";

export class MemoryLog implements GateLog {
  private text = "";
  // A stream, not per-chunk redaction: a private-key block written one line at a time stays hidden.
  private readonly scrub = redactor().stream();
  write(chunk: string): void {
    this.text += this.scrub.write(chunk) + this.scrub.flush();
  }
  tail(count = 40): string {
    return this.text.split("\n").slice(-count).join("\n");
  }
  all(): string {
    return this.text;
  }
}

export function gatesOfKind<K extends GateConfig["kind"]>(
  gates: GateConfig[],
  kind: K,
): Extract<GateConfig, { kind: K }>[] {
  return gates.filter((g): g is Extract<GateConfig, { kind: K }> => g.kind === kind);
}

export interface KindReport {
  exitCode: number;
  gates: (Outcome & { id: string })[];
  next: NextStep | null;
}

/** Every gate of `kind` in the config, run now; refuses (exit 2) when the config has none. */
export async function runKindChecks(
  options: ProjectOptions,
  kind: GateConfig["kind"],
  command: string,
): Promise<KindReport> {
  const project = await loadProject(options);
  const gates = gatesOfKind(project.config.gates, kind);
  if (gates.length === 0)
    throw new UsageError(`the config has no gate of kind ${kind}`, `add one to ${project.configFile}`);
  const results: (Outcome & { id: string })[] = [];
  for (const gate of gates) {
    const outcome = await executeGate(gate, {
      config: project.config,
      repoRoot: project.repoRoot,
      // No release here: the kinds these commands run compare files, not versions.
      release: { releaseTarget: "", baseTag: "none", mode: "dry-run", agent: "standalone@local" },
      changedFiles: [],
      targetDir: project.repoRoot,
      log: new MemoryLog(),
      signal: new AbortController().signal,
    });
    results.push({ id: gate.id, ...outcome });
  }
  const exitCode = exitCodeForStatuses(results.map((r) => r.status));
  const failing = results.filter((r) => r.status !== "pass").map((r) => r.id);
  return {
    exitCode,
    gates: results,
    next:
      failing.length === 0
        ? null
        : { command: ["shipgate", command], reason: `fix ${failing.join(", ")}, then check again` },
  };
}
