// Shared by the single-kind commands (`notices`, `contract`): run every gate of one kind, print, exit.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import type { Output } from "./output.js";
import { projectOptions } from "./runtime.js";

export async function runKindCommand(command: Command, out: Output, kind: string): Promise<number> {
  const { runKindChecks } = await import("../gates/standalone.js");
  const report = await runKindChecks(projectOptions(command), kind as never, command.name());
  out.result(
    { ok: report.exitCode === ExitCode.pass, ...report },
    report.gates.map((r) => `${out.status(r.status)} ${r.id}: ${r.summary}`),
  );
  return report.exitCode;
}
