// The shipgate.yaml schema: one zod schema is both the validator and the source of the JSON Schema.
// The base settings come from base.ts; the `gates:`, `tracker:` and `channels:` unions are built from
// their registries, so adding a gate kind, tracker or channel never touches this file.
import * as z from "zod";
import { channelSchema } from "../channels/index.js";
import { type GateConfig, gateSchema } from "../gates/kinds/index.js";
import { trackerConfigSchema } from "../trackers/index.js";
import { baseConfigFields } from "./base.js";

export type { GateConfig } from "../gates/kinds/index.js";
export type { BaseConfig } from "./base.js";
export { DEFAULT_TAG_PATTERN } from "./base.js";

export const configSchema = z
  .strictObject({
    ...baseConfigFields,
    tracker: trackerConfigSchema,
    gates: z.array(gateSchema).default([]),
    channels: z.array(channelSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.gates.forEach((gate, index) => {
      if (ids.has(gate.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["gates", index, "id"],
          message: `duplicate gate id "${gate.id}"`,
        });
      }
      ids.add(gate.id);
    });
    config.gates.forEach((gate, index) => {
      gate.after.forEach((dep, depIndex) => {
        if (!ids.has(dep)) {
          ctx.addIssue({
            code: "custom",
            path: ["gates", index, "after", depIndex],
            message: `unknown gate id "${dep}"`,
          });
        }
      });
    });
    const cycle = findCycle(config.gates);
    if (cycle)
      ctx.addIssue({
        code: "custom",
        path: ["gates"],
        message: `\`after\` forms a cycle: ${cycle.join(" -> ")}`,
      });
  });

export type ShipgateConfig = z.infer<typeof configSchema>;

function findCycle(gates: GateConfig[]): string[] | undefined {
  const deps = new Map(gates.map((g) => [g.id, g.after]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      const found = deps.has(dep) ? visit(dep) : undefined;
      if (found) return found;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of deps.keys()) {
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}

/** JSON Schema of what a user writes (the input side of the transforms). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  });
  return { ...schema, title: "shipgate.yaml", description: "Configuration of the shipgate release manager" };
}
