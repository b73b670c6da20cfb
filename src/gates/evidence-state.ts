// What the ledger's gate records prove for the repository as it is now. A recorded pass whose cache
// key no longer matches (new commit, changed tree, changed definition or inputs) is `stale`, and a
// configured gate with no record is `pending`: both block, in `status` and before any mechanics step.
import type { ShipgateConfig } from "../config/schema.js";
import type { ReleaseContext } from "../context/inputs.js";
import { effectiveStatus } from "../evidence/ledger.js";
import type { LedgerPaths } from "../evidence/paths.js";
import type { GateRecord, GateStatus, Ledger } from "../evidence/schema.js";
import { currentCacheKeys } from "./cache-key.js";

export type EvidenceStatus = GateStatus | "stale";

export interface GateEvidence {
  id: string;
  name: string;
  kind: string;
  status: EvidenceStatus;
  summary: string;
  /** False for a record of a gate no longer in the config (shown, never required). */
  configured: boolean;
  record?: GateRecord;
}

export const STALE_SUMMARY = "recorded for another commit, tree, gate definition or input";

/** Configured gates in config order, then recorded gates the config no longer has. */
export async function gateEvidence(
  config: ShipgateConfig,
  repoRoot: string,
  paths: LedgerPaths,
  ledger: Ledger,
): Promise<GateEvidence[]> {
  const release: ReleaseContext = ledger.context;
  const keys = await currentCacheKeys(config, repoRoot, paths, release);
  const configured = config.gates.map((gate): GateEvidence => {
    const record = ledger.gates[gate.id];
    const base = { id: gate.id, name: gate.name ?? gate.id, kind: gate.kind, configured: true };
    if (!record) return { ...base, status: "pending", summary: "not run yet" };
    const status = effectiveStatus(record.status, paths);
    const decided = status === "pass" || status === "skipped";
    if (decided && record.cacheKey !== keys.get(gate.id)) {
      return {
        ...base,
        status: "stale",
        summary: `${STALE_SUMMARY} (was ${status}: ${record.summary})`,
        record,
      };
    }
    return { ...base, status, summary: record.summary, record };
  });
  const known = new Set(config.gates.map((g) => g.id));
  const dropped = Object.values(ledger.gates)
    .filter((r) => !known.has(r.id))
    .map(
      (record): GateEvidence => ({
        id: record.id,
        name: record.name,
        kind: record.kind,
        status: effectiveStatus(record.status, paths),
        summary: record.summary,
        configured: false,
        record,
      }),
    );
  return [...configured, ...dropped];
}
