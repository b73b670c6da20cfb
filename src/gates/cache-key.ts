// The resume cache key of a gate: its definition, HEAD, the base tag, the target, a fingerprint of the
// working tree and whatever else its kind reads. A recorded outcome counts as evidence for the repository
// as it is now only while its key matches (the engine reuses a pass on it; mechanics require it).
import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import type { BaseConfig } from "../config/base.js";
import { headAndBranch, treeSnapshot } from "../context/git.js";
import type { ReleaseContext } from "../context/inputs.js";
import { errorMessage } from "../errors.js";
import type { LedgerPaths } from "../evidence/paths.js";
import { findGateKind } from "./kinds/index.js";
import type { GateEntry } from "./types.js";

export interface KeyFacts {
  sha: string;
  baseTag: string;
  target: string;
  fingerprint: string;
}

/** HEAD and the tree fingerprint (the evidence directory left out), shared by every gate's key; with the
 * branch and untracked files learnt on the way, which the engine reuses. */
export async function keyFacts(
  repoRoot: string,
  paths: LedgerPaths,
  release: ReleaseContext,
): Promise<KeyFacts & { branch: string | null; untracked: string[] }> {
  const exclude = [path.relative(repoRoot, paths.evidenceDir)];
  const [head, tree] = await Promise.all([headAndBranch(repoRoot), treeSnapshot(repoRoot, exclude)]);
  return {
    sha: head.sha,
    baseTag: release.baseTag,
    target: release.releaseTarget,
    fingerprint: tree.fingerprint,
    branch: head.branch,
    untracked: tree.untracked,
  };
}

export async function cacheKeyOf(
  gate: GateEntry,
  config: BaseConfig,
  repoRoot: string,
  /** May still be coming: the kind's own inputs are read meanwhile. */
  factsComing: KeyFacts | Promise<KeyFacts>,
): Promise<string> {
  let inputs: unknown;
  try {
    inputs = await findGateKind(gate.kind)?.cacheInputs?.(gate, { repoRoot, config });
  } catch (err) {
    // Inputs that cannot be read make a key nothing recorded can match: run again, never reuse.
    inputs = { unreadable: errorMessage(err), nonce: randomUUID() };
  }
  const facts = await factsComing;
  return createHash("sha256")
    .update(JSON.stringify({ gate, ...facts, ...(inputs === undefined ? {} : { inputs }) }))
    .digest("hex")
    .slice(0, 32);
}

/** Each configured gate's cache key for the repository as it is now. */
export async function currentCacheKeys(
  config: BaseConfig & { gates: GateEntry[] },
  repoRoot: string,
  paths: LedgerPaths,
  release: ReleaseContext,
): Promise<Map<string, string>> {
  const { sha, baseTag, target, fingerprint } = await keyFacts(repoRoot, paths, release);
  const facts = { sha, baseTag, target, fingerprint };
  const keys = await Promise.all(config.gates.map((gate) => cacheKeyOf(gate, config, repoRoot, facts)));
  return new Map(config.gates.map((gate, i) => [gate.id, keys[i] as string]));
}
