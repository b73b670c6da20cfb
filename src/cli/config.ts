// `shipgate config check|schema`: validate shipgate.yaml, or print the JSON Schema it is validated against.
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { projectOptions } from "./runtime.js";

export function register(program: Command, inv: Invocation): void {
  const config = program.command("config").description("validate the configuration or print its JSON Schema");
  config
    .command("check")
    .description("validate shipgate.yaml (exit 2 naming the file, key path and what was expected)")
    .action(
      action(inv, async (command, out) => {
        const { loadProject } = await import("../context/project.js");
        const { config: parsed, configFile } = await loadProject(projectOptions(command));
        out.result(
          {
            ok: true,
            exitCode: ExitCode.pass,
            file: configFile,
            gates: parsed.gates.map((g) => g.id),
            config: parsed,
            next: {
              command: [
                "shipgate",
                "init",
                "--release-target",
                "<vX.Y.Z>",
                "--base-tag",
                "<vX.Y.Z|none>",
                "--mode",
                "<dry-run|live>",
                "--agent",
                "<model@host>",
              ],
              reason: "start a release with its four explicit inputs",
            },
          },
          `${configFile}: valid (${parsed.gates.length} gate${parsed.gates.length === 1 ? "" : "s"})`,
        );
        return ExitCode.pass;
      }),
    );
  config
    .command("schema")
    .description("print the JSON Schema of shipgate.yaml")
    .action(
      action(inv, async (_command, out) => {
        const { configJsonSchema } = await import("../config/schema.js");
        // Always JSON, with or without --json: the schema is the output.
        out.raw(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
        return ExitCode.pass;
      }),
    );
}
