// The one list of gate kinds. Adding a kind = one file that calls defineGateKind + one line here: the
// config's `gates:` union, `config schema` and the kind lookup are all derived from this list.
import * as z from "zod";
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

type SchemaOf<T> = T extends GateKind<infer S> ? S : never;
// Generic so that TypeScript maps the tuple element by element (the union keeps every kind's type).
type SchemasOf<T extends readonly unknown[]> = { -readonly [I in keyof T]: SchemaOf<T[I]> };
type KindSchemas = SchemasOf<typeof gateKinds>;

/** One entry of `gates:`, discriminated by `kind` (absent = command). */
export const gateSchema = z.discriminatedUnion(
  "kind",
  gateKinds.map((k) => k.schema) as unknown as KindSchemas,
);
export type GateConfig = z.output<typeof gateSchema>;

export const gateKindNames: string[] = gateKinds.map((k) => k.kind);

export function findGateKind(kind: string): GateKind | undefined {
  return (gateKinds as readonly GateKind[]).find((k) => k.kind === kind);
}
