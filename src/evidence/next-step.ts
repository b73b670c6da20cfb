// What a maintainer or agent should do next, derived from the ledger (shown by status and evidence.md).
import type { Ledger } from "./schema.js";

const BLOCKING = new Set(["fail", "incomplete", "pending", "running", "stale"]);

/** `gates` defaults to the ledger's; `status` passes them with effective statuses and never-run gates added. */
export function nextStep(
  ledger: Ledger,
  gates: { id: string; status: string }[] = Object.values(ledger.gates),
): string {
  const target = ledger.context.releaseTarget;
  if (gates.length === 0) return `run the QA gates: shipgate gates --release-target ${target}`;
  const blocking = gates.filter((g) => BLOCKING.has(g.status));
  if (blocking.length > 0 && blocking.every((g) => g.status === "stale" || g.status === "pending")) {
    const ids = blocking.map((g) => g.id).join(",");
    return `run the gates for the current commit (${ids} not decided for it): shipgate gates --release-target ${target}`;
  }
  if (blocking.length > 0) {
    const ids = blocking.map((g) => g.id).join(",");
    return `fix the blocking gates (${ids}), then rerun them: shipgate gates --release-target ${target} --only ${ids}`;
  }
  const open = ledger.blockers.filter((b) => b.state === "open");
  if (open.length > 0) {
    return `resolve the ${open.length} open blocker(s): shipgate blockers list --release-target ${target}`;
  }
  if (ledger.mechanics.tag?.pushed)
    return `${target} is tagged and pushed; the next phase is the release build run for the tag`;
  return `tag the release (refused while anything blocks): shipgate tag --release-target ${target}`;
}
