// Which gates apply: --only filtering, `when.changed` triggers against the files changed since the base tag.
import picomatch from "picomatch";
import type { GateConfig } from "../config/schema.js";
import { UsageError } from "../errors.js";

export function selectGates(gates: GateConfig[], only: string[] | undefined): GateConfig[] {
  if (!only || only.length === 0) return gates;
  const known = new Set(gates.map((g) => g.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `--only names unknown gate${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`,
      `configured gates: ${[...known].join(", ") || "(none)"}`,
    );
  }
  return gates.filter((g) => only.includes(g.id));
}

export interface TriggerDecision {
  applies: boolean;
  reason: string;
  matched: string[];
}

/** A conditional gate applies when a changed file matches one of its globs; with no base tag, always. */
export function triggerDecision(
  gate: GateConfig,
  changedFiles: string[],
  firstRelease: boolean,
): TriggerDecision {
  const globs = gate.when?.changed;
  if (!globs) return { applies: true, reason: "always runs", matched: [] };
  if (firstRelease)
    return {
      applies: true,
      reason: "first release (base tag none): every conditional gate runs",
      matched: [],
    };
  const isMatch = picomatch(globs, { dot: true });
  const matched = changedFiles.filter((f) => isMatch(f));
  if (matched.length > 0)
    return {
      applies: true,
      reason: `changed: ${matched.slice(0, 5).join(", ")}${matched.length > 5 ? ", …" : ""}`,
      matched,
    };
  return {
    applies: false,
    reason: `no file changed since the base tag matches ${globs.join(", ")} (${changedFiles.length} file${changedFiles.length === 1 ? "" : "s"} changed)`,
    matched,
  };
}
