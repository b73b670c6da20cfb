// Gate kind `workflow-contract`: GitHub Actions workflows keep the topology the release depends on.
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import type { GateKind } from "../types.js";

/** One rule set per workflow file; every listed requirement must hold. */
export const workflowRuleSchema = z.strictObject({
  workflow: z.string().min(1).meta({ description: "file name under workflowsDir, e.g. release-publish.yml" }),
  triggers: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: "events that must appear under `on:`" }),
  dispatchInputs: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: "inputs `workflow_dispatch` must declare" }),
  jobs: z.array(z.string().min(1)).default([]).meta({ description: "jobs that must exist" }),
  needs: z
    .record(z.string(), z.array(z.string().min(1)))
    .default({})
    .meta({ description: "job -> jobs it must depend on, directly or transitively" }),
  if: z
    .record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1))]))
    .default({})
    .meta({ description: "job -> text(s) its `if:` condition must contain" }),
  steps: z
    .record(z.string(), z.array(z.string().min(1)))
    .default({})
    .meta({ description: "job -> strings that must appear in its steps (run/uses/with/env)" }),
});
export type WorkflowRule = z.infer<typeof workflowRuleSchema>;

export const workflowContractGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("workflow-contract"),
  workflowsDir: z.string().min(1).default(".github/workflows"),
  rules: z.array(workflowRuleSchema).min(1),
});
export type WorkflowContractGate = z.infer<typeof workflowContractGateSchema>;

export const workflowContractKind: GateKind<WorkflowContractGate> = {
  kind: "workflow-contract",
  description: "Workflow YAML keeps required triggers, inputs, jobs, needs, if-guards and step strings.",
  schema: workflowContractGateSchema,
  async run() {
    return { status: "incomplete", summary: "workflow-contract is not implemented yet" };
  },
};
