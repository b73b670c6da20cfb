// Gate kind `command` (the default): runs one shell line or a list, stopping at the first failure.
import * as z from "zod";
import { commandListSchema, commonGateFields } from "../../config/gate-common.js";
import { type CommandRecord, defineGateKind, type Outcome } from "../types.js";

export const commandGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("command").optional().default("command"),
  run: commandListSchema,
});
export type CommandGate = z.infer<typeof commandGateSchema>;

/** The program bash named in "…: foo: command not found" / "…: ./x: Permission denied", if it said. */
function notStarted(output: string): string | undefined {
  const match =
    /(?:^|\n)(?:bash: )?(?:line \d+: )?([^:\n]+): (?:command not found|Permission denied|cannot execute[^\n]*)/.exec(
      output,
    );
  return match?.[1]?.trim();
}

export const commandKind = defineGateKind({
  kind: "command",
  description: "Runs shell commands with bash -c; any non-zero exit blocks.",
  schema: commandGateSchema,
  async run(gate, ctx): Promise<Outcome> {
    const commands: CommandRecord[] = [];
    for (const line of gate.run) {
      const result = await ctx.exec(line, { env: gate.env });
      const { output: _output, ...record } = result;
      commands.push(record);
      if (result.spawnError) {
        return {
          status: "incomplete",
          summary: `could not start \`${line}\`: ${result.spawnError}`,
          commands,
        };
      }
      if (result.timedOut) {
        return {
          status: "fail",
          summary: `\`${line}\` timed out after ${Math.round(result.durationMs / 1000)}s and was killed`,
          commands,
        };
      }
      if (ctx.signal.aborted) {
        return { status: "incomplete", summary: `interrupted while running \`${line}\``, commands };
      }
      // bash's own codes: 127 = command not found, 126 = found but cannot be executed. Nothing was
      // tested, so nothing was decided: incomplete, naming the command bash could not start.
      if (result.exitCode === 127 || result.exitCode === 126) {
        const missing = notStarted(result.output);
        return {
          status: "incomplete",
          summary:
            result.exitCode === 127
              ? `\`${line}\`: command not found${missing ? `: ${missing}` : ""} (install it or put it on PATH)`
              : `\`${line}\`: cannot execute${missing ? ` ${missing}` : ""} (permission denied or not a program)`,
          commands,
        };
      }
      if (result.exitCode !== 0) {
        const why =
          result.exitCode === null
            ? `was killed by ${result.signal ?? "a signal"}`
            : `exited ${result.exitCode}`;
        return { status: "fail", summary: `\`${line}\` ${why}`, commands };
      }
    }
    return {
      status: "pass",
      summary: `${commands.length} command${commands.length === 1 ? "" : "s"} passed`,
      commands,
    };
  },
});
