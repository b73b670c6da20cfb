// Gate kind `workflow-contract`: GitHub Actions workflows keep the topology the release depends on.
// Each rule names one workflow file and what it must hold; every broken requirement is reported with
// the workflow, the job and the rule. A missing or unparsable workflow file fails, naming it.
import path from "node:path";
import * as z from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import { repoPath } from "../../config/repo-path.js";
import { readDocument } from "../manifests/document.js";
import { keyPathSchema, lookupKeyPath } from "../manifests/key-path.js";
import { defineGateKind, type Outcome } from "../types.js";

const textOrList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (typeof v === "string" ? [v] : v));

/** One rule set per workflow file; every listed requirement must hold. */
export const workflowRuleSchema = z.strictObject({
  workflow: repoPath("relative").meta({
    description: "file name under workflowsDir, e.g. release-publish.yml",
  }),
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
    .record(z.string(), textOrList)
    .default({})
    .meta({ description: "job -> jobs it must depend on, directly or transitively" }),
  if: z
    .record(z.string(), textOrList)
    .default({})
    .meta({ description: "job -> text(s) its `if:` condition must contain (whitespace-insensitive)" }),
  ifNot: z.record(z.string(), textOrList).default({}).meta({
    description:
      "job -> text(s) its `if:` must not contain, e.g. always() on a job that must not run after a failure",
  }),
  steps: z
    .record(z.string(), textOrList)
    .default({})
    .meta({ description: "job -> strings that must appear in its steps (run, uses, with, env, names)" }),
  values: z.record(keyPathSchema, textOrList).default({}).meta({
    description:
      "key path -> values it must hold (list elements, mapping keys or the scalar), e.g. on.workflow_run.workflows: [release]",
  }),
});
export type WorkflowRule = z.infer<typeof workflowRuleSchema>;

/** A rule that requires nothing would pass without checking anything. */
const checkedRuleSchema = workflowRuleSchema.refine(
  (r) =>
    r.triggers.length + r.dispatchInputs.length + r.jobs.length > 0 ||
    [r.needs, r.if, r.ifNot, r.steps, r.values].some((m) => Object.keys(m).length > 0),
  {
    message: "a rule must require at least one trigger, input, job, needs, if, ifNot, steps or values entry",
  },
);

export const workflowContractGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("workflow-contract"),
  workflowsDir: repoPath("dir").default(".github/workflows"),
  rules: z.array(checkedRuleSchema).min(1),
});
export type WorkflowContractGate = z.infer<typeof workflowContractGateSchema>;

export interface Violation {
  workflow: string;
  job?: string;
  rule: string;
  message: string;
}

interface Job {
  needs?: unknown;
  if?: unknown;
  steps?: unknown;
}

// `${{ a == 'b' }}` and `a=='b'` are the same condition: compare without the braces and whitespace.
const squash = (s: string) => s.replace(/\$\{\{|\}\}/g, "").replace(/\s+/g, "");
const has = (o: unknown, key: string) =>
  o !== null && typeof o === "object" && !Array.isArray(o) && Object.hasOwn(o, key);

function asList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `on:` as a mapping of events, whatever form it was written in. A YAML 1.1 reader may turn `on` into `true`. */
function triggersOf(doc: Record<string, unknown>): Record<string, unknown> {
  const on = has(doc, "on") ? doc.on : doc.true;
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(asList(on).map((e) => [e, null]));
  return on && typeof on === "object" ? (on as Record<string, unknown>) : {};
}

/** Every job reachable through `needs`, directly or transitively. */
function neededBy(jobs: Record<string, Job>, start: string): Set<string> {
  const seen = new Set<string>();
  const needsOf = (job: string) => (has(jobs, job) ? asList(jobs[job]?.needs) : []);
  const queue = needsOf(start);
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...needsOf(next));
  }
  return seen;
}

/** Whether `value` holds `wanted`: as a list element, a mapping key, or the scalar itself. */
function holds(value: unknown, wanted: string): boolean {
  if (Array.isArray(value)) return value.some((el) => String(el) === wanted);
  if (value !== null && typeof value === "object") return Object.hasOwn(value, wanted);
  return value !== null && value !== undefined && String(value) === wanted;
}

function conditionOf(job: Job | undefined): string {
  const condition = job?.if;
  // `if: true` / `if: false` parse as booleans; compare them as the text they were written as.
  return typeof condition === "string" || typeof condition === "boolean" ? squash(String(condition)) : "";
}

/** Every string in a job's steps (keys and values), so a rule can look for a secret name or an artifact. */
function stepText(steps: unknown): string {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out.push(String(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object")
      for (const [k, inner] of Object.entries(v)) {
        out.push(k);
        visit(inner);
      }
  };
  visit(steps);
  return out.join("\n");
}

export function checkWorkflow(rule: WorkflowRule, doc: unknown): Violation[] {
  const v: Violation[] = [];
  const workflow = rule.workflow;
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    return [{ workflow, rule: "parse", message: `${workflow} is not a YAML mapping` }];
  }
  const root = doc as Record<string, unknown>;
  const triggers = triggersOf(root);
  for (const trigger of rule.triggers) {
    if (!Object.hasOwn(triggers, trigger))
      v.push({ workflow, rule: "triggers", message: `${workflow} lacks the \`${trigger}\` trigger` });
  }
  const dispatch = triggers.workflow_dispatch as { inputs?: Record<string, unknown> } | null | undefined;
  for (const input of rule.dispatchInputs) {
    if (!has(dispatch?.inputs, input)) {
      v.push({
        workflow,
        rule: "dispatchInputs",
        message: `${workflow}: workflow_dispatch lacks the \`${input}\` input`,
      });
    }
  }
  const jobs = (has(root, "jobs") && typeof root.jobs === "object" ? root.jobs : {}) as Record<string, Job>;
  const requireJob = (job: string, rule: string): boolean => {
    if (has(jobs, job)) return true;
    v.push({ workflow, job, rule, message: `${workflow}: job \`${job}\` does not exist` });
    return false;
  };
  for (const job of rule.jobs) requireJob(job, "jobs");
  for (const [job, required] of Object.entries(rule.needs)) {
    if (!requireJob(job, "needs")) continue;
    const closure = neededBy(jobs, job);
    for (const dep of required) {
      if (!closure.has(dep))
        v.push({
          workflow,
          job,
          rule: "needs",
          message: `${workflow}: job \`${job}\` does not need \`${dep}\``,
        });
    }
  }
  for (const [job, texts] of Object.entries(rule.if)) {
    if (!requireJob(job, "if")) continue;
    const condition = conditionOf(jobs[job]);
    for (const text of texts) {
      if (!condition.includes(squash(text))) {
        v.push({
          workflow,
          job,
          rule: "if",
          message: `${workflow}: job \`${job}\`'s if: does not contain \`${text}\``,
        });
      }
    }
  }
  for (const [job, texts] of Object.entries(rule.ifNot)) {
    if (!requireJob(job, "ifNot")) continue;
    const condition = conditionOf(jobs[job]);
    for (const text of texts) {
      if (condition.includes(squash(text))) {
        v.push({
          workflow,
          job,
          rule: "ifNot",
          message: `${workflow}: job \`${job}\`'s if: contains \`${text}\``,
        });
      }
    }
  }
  for (const [job, strings] of Object.entries(rule.steps)) {
    if (!requireJob(job, "steps")) continue;
    const text = stepText(jobs[job]?.steps);
    for (const s of strings) {
      if (!text.includes(s))
        v.push({
          workflow,
          job,
          rule: "steps",
          message: `${workflow}: job \`${job}\`'s steps never mention \`${s}\``,
        });
    }
  }
  // Key paths see `on:` in its mapping form, whichever form the file used.
  const normalized = { ...root, on: triggers };
  for (const [keyPath, wanted] of Object.entries(rule.values)) {
    const found = lookupKeyPath(normalized, keyPath);
    for (const w of wanted) {
      if (!found.found || !holds(found.value, w))
        v.push({
          workflow,
          rule: "values",
          message: `${workflow}: \`${keyPath}\` ${found.found ? "does not hold" : `is missing (${found.reason}), so lacks`} \`${w}\``,
        });
    }
  }
  return v;
}

export function checkContract(
  repoRoot: string,
  gate: Pick<WorkflowContractGate, "workflowsDir" | "rules">,
): Violation[] {
  return gate.rules.flatMap((rule) => {
    const file = path.posix.join(gate.workflowsDir, rule.workflow);
    const doc = readDocument(path.resolve(repoRoot, file), "yaml");
    if (!doc.ok) return [{ workflow: rule.workflow, rule: "parse", message: `${file}: ${doc.error}` }];
    return checkWorkflow(rule, doc.data);
  });
}

export function contractOutcome(rules: WorkflowRule[], violations: Violation[]): Outcome {
  if (violations.length > 0) {
    return {
      status: "fail",
      summary: violations.map((x) => `[${x.rule}] ${x.message}`).join("; "),
      details: { violations },
    };
  }
  const files = new Set(rules.map((r) => r.workflow)).size;
  return {
    status: "pass",
    summary: `${files} workflow${files === 1 ? "" : "s"} keep their contract`,
    details: { violations },
  };
}

export const workflowContractKind = defineGateKind({
  kind: "workflow-contract",
  description: "Workflow YAML keeps required triggers, inputs, jobs, needs, if-guards and step strings.",
  schema: workflowContractGateSchema,
  async run(gate, ctx) {
    const violations = checkContract(ctx.repoRoot, gate);
    for (const x of violations) ctx.log.write(`[${x.rule}] ${x.message}\n`);
    return contractOutcome(gate.rules, violations);
  },
});
