// `shipgate config check|schema`: validate shipgate.yaml, or print the JSON Schema it is validated against.
import type { Command } from "commander";
import { configJsonSchema } from "../config/schema.js";
import { ExitCode } from "../errors.js";
import { action } from "./action.js";
import { globals, loadProject, outputFor } from "./runtime.js";

export function register(program: Command): void {
  const config = program.command("config").description("validate the configuration or print its JSON Schema");
  config
    .command("check")
    .description("validate shipgate.yaml (exit 2 naming the file, key path and what was expected)")
    .action(
      action(async (command) => {
        const out = outputFor(globals(command));
        const { config: parsed, configFile } = await loadProject(globals(command));
        out.result(
          { ok: true, file: configFile, gates: parsed.gates.map((g) => g.id), config: parsed },
          `${configFile}: valid (${parsed.gates.length} gate${parsed.gates.length === 1 ? "" : "s"})`,
        );
        return ExitCode.pass;
      }),
    );
  config
    .command("schema")
    .description("print the JSON Schema of shipgate.yaml")
    .action(
      action(async () => {
        // Always JSON, with or without --json: the schema is the output.
        process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
        return ExitCode.pass;
      }),
    );
}
