// What a maintainer or agent should do next, derived from the ledger: a command (argv) an agent can run
// and the reason, or null when the release is done. Shown by status, evidence.md and every --json result.

import type { ShipgateConfig } from "../config/schema.js";
import { initArgv } from "../context/inputs.js";
import type { AnyStep } from "../pipeline/step.js";
import { steps } from "../pipeline/steps/index.js";
import type { Ledger } from "./schema.js";

export interface NextStep {
  command: string[];
  reason: string;
}

const BLOCKING = new Set(["fail", "incomplete", "pending", "running", "stale"]);

/** The command that starts the live release after a finished dry run (the dry-run ledger is moved aside). */
export function goLiveCommand(ledger: Ledger): string[] {
  return [...initArgv({ ...ledger.context, mode: "live" }), "--force"];
}

/** An open blocker as the tracker reports it, with the command that deals with it. */
export interface OpenBlocker {
  id: string;
  detail: string;
  fix?: string[] | undefined;
}

export interface NextOptions {
  /** Gates with effective statuses and never-run gates added (status); default: the ledger's records. */
  gates?: { id: string; status: string }[];
  /** Open blockers as the tracker reports them (status); default: the ledger's open ones. */
  blockers?: OpenBlocker[];
  /** With the config, a step it does not ask for (no `homebrew:`, no `channels:`) is passed over. */
  config?: ShipgateConfig | undefined;
}

export function nextStep(ledger: Ledger, options: NextOptions = {}): NextStep | null {
  const gates = options.gates ?? Object.values(ledger.gates);
  const { blockers, config } = options;
  const target = ledger.context.releaseTarget;
  const t = ["--release-target", target];
  if (gates.length === 0) return { command: ["shipgate", "gates", ...t], reason: "run the QA gates" };
  const blocking = gates.filter((g) => BLOCKING.has(g.status));
  if (blocking.length > 0 && blocking.every((g) => g.status === "stale" || g.status === "pending")) {
    const ids = blocking.map((g) => g.id).join(",");
    return {
      command: ["shipgate", "gates", ...t],
      reason: `run the gates for the current commit (${ids} not decided for it)`,
    };
  }
  if (blocking.length > 0) {
    const ids = blocking.map((g) => g.id).join(",");
    return {
      command: ["shipgate", "gates", ...t, "--only", ids],
      reason: `fix what blocks ${ids} (see the gate logs and blockers), then rerun them`,
    };
  }
  const fromTracker = blockers?.find((b) => b.fix);
  if (fromTracker?.fix)
    return { command: fromTracker.fix, reason: `blocker ${fromTracker.id}: ${fromTracker.detail}` };
  const open = blockers ? [] : ledger.blockers.filter((b) => b.state === "open");
  const [first] = open;
  if (first && open.length === 1)
    return {
      command: ["shipgate", "blockers", "close", first.id, ...t],
      reason: `blocker ${first.id} (${first.check}) is still open; close it once it is fixed`,
    };
  if (open.length > 0)
    return {
      command: ["shipgate", "blockers", "list", ...t],
      reason: `${open.length} blockers are open; fix and close each`,
    };
  const records = ledger.mechanics as Record<string, unknown>;
  const dryRun = ledger.context.mode === "dry-run";
  const list = steps as readonly AnyStep[];
  // A step left out before a later one succeeded (a rehearsal a live publish did not need) is not asked for.
  const walked = (step: AnyStep) => {
    const record = records[step.name];
    return record !== undefined && step.succeeded(record);
  };
  const lastDone = list.reduce((last, step, i) => (walked(step) ? i : last), -1);
  for (const step of list.slice(lastDone + 1)) {
    const record = records[step.name];
    // In a dry run a planned step counts as walked: nothing further can be done without going live.
    if (record !== undefined && (step.succeeded(record) || dryRun)) continue;
    if (config && step.configured && !step.configured(config)) continue;
    const command = ["shipgate", ...(step.command ?? [step.name]), ...t];
    return { command, reason: `next release step: ${step.name}` };
  }
  if (dryRun)
    return {
      command: goLiveCommand(ledger),
      reason:
        "the dry run is finished; start the live release (the dry-run ledger is moved aside, not deleted)",
    };
  return null;
}

/** `reason: shipgate …` for human output. */
export function describeNext(next: NextStep | null): string {
  return next ? `${next.reason}: ${next.command.join(" ")}` : "nothing: the release is done";
}
