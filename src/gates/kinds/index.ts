// The one list of gate kinds. Adding a kind = one file implementing GateKind + one line here.
import type { GateKind } from "../types.js";
import { benchKind } from "./bench.js";
import { changelogKind } from "./changelog.js";
import { commandKind } from "./command.js";
import { gitStateKind } from "./git-state.js";
import { licensingNoticesKind } from "./licensing-notices.js";
import { versionAlignmentKind } from "./version-alignment.js";
import { workflowContractKind } from "./workflow-contract.js";

export const gateKinds = [
  commandKind,
  versionAlignmentKind,
  licensingNoticesKind,
  changelogKind,
  gitStateKind,
  workflowContractKind,
  benchKind,
] as const;

export type AnyGateKind = (typeof gateKinds)[number];
// biome-ignore lint/suspicious/noExplicitAny: kinds are looked up by name at run time.
export function findGateKind(kind: string): GateKind<any> | undefined {
  return gateKinds.find((k) => k.kind === kind);
}
