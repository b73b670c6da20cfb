// Shared by the single-kind commands (`notices`, `contract`): run every gate of one kind, print, exit.
import type { Command } from "commander";
import type { GateConfig } from "../config/schema.js";
import { ExitCode, UsageError } from "../errors.js";
import { gatesOfKind, runStandalone } from "../gates/standalone.js";
import type { Outcome } from "../gates/types.js";
import { exitCodeForStatuses } from "../gates/verdict.js";
import { globals, loadProject, outputFor } from "./runtime.js";

export async function runKindCommand(
  command: Command,
  kind: GateConfig["kind"],
  version = "",
): Promise<number> {
  const out = outputFor(globals(command));
  const project = await loadProject(globals(command));
  const gates = gatesOfKind(project.config.gates, kind);
  if (gates.length === 0)
    throw new UsageError(`the config has no gate of kind ${kind}`, `add one to ${project.configFile}`);
  const results: (Outcome & { id: string })[] = [];
  for (const gate of gates) results.push({ id: gate.id, ...(await runStandalone(project, gate, version)) });
  const exitCode = exitCodeForStatuses(results.map((r) => r.status));
  out.result(
    { ok: exitCode === ExitCode.pass, exitCode, gates: results },
    results.map((r) => `${out.status(r.status)} ${r.id}: ${r.summary}`),
  );
  return exitCode;
}
