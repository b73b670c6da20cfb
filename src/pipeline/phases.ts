// The phases `shipgate run` walks, in order: the runtime preflight, the gates, the performance guard,
// the blockers check, then one phase per release step (tag … deliver, from the step list). A phase
// returns what it decided; the runner (run.ts) records it, stops at the first that blocks and says
// what continues the release.

import { createHash } from "node:crypto";
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";
import type { Project } from "../context/project.js";
import { errorMessage, IncompleteError } from "../errors.js";
import type { LedgerWriter } from "../evidence/ledger.js";
import { keyFacts } from "../gates/cache-key.js";
import { executeGate, missingTools } from "../gates/execute.js";
import type { GateConfig } from "../gates/kinds/index.js";
import { LineReporter } from "../gates/progress.js";
import { runGatesWith } from "../gates/run.js";
import { MemoryLog } from "../gates/standalone.js";
import { parseAnswer } from "../github/answer.js";
import { github, githubFor } from "../github/client.js";
import { blockerProblems } from "./release-guard.js";
import { runStep } from "./run-step.js";
import type { AnyStep, StepProblem } from "./step.js";
import { steps } from "./steps/index.js";

export type PhaseStatus = "done" | "verified" | "planned" | "skipped" | "blocked" | "incomplete";

export interface PhaseResult {
  status: PhaseStatus;
  summary: string;
  problems?: StepProblem[];
}

export interface RunContext {
  project: Project;
  writer: LedgerWriter;
  signal: AbortSignal;
  progress(text: string, key?: string): void;
  /** How many gates run at once. */
  jobs: number;
  /** Registry credentials changed since the last release (the rehearsal policy reads it). */
  credentialsRotated: boolean;
}

export interface RunPhase {
  name: string;
  run(ctx: RunContext): Promise<PhaseResult>;
}

const STEP_NAMES = new Set(["build", "provenance", "preflight", "rehearsal", "publish"]);

/** Can GitHub be asked at all, with this token, for this repository? */
async function githubReachable(project: Project): Promise<string | null> {
  try {
    const gh = await githubFor(project.config.github, project.repoRoot);
    const what = `GET repository ${gh.owner}/${gh.repo}`;
    const { data } = await github(what, () => gh.octokit.rest.repos.get({ owner: gh.owner, repo: gh.repo }));
    parseAnswer(z.object({ full_name: z.string() }), data, what);
    return null;
  } catch (err) {
    return errorMessage(err);
  }
}

/** The runtime preflight: tools, GitHub auth, a writable evidence directory, the workflow contract. */
const preflightPhase: RunPhase = {
  name: "runtime-preflight",
  async run(ctx) {
    const { project } = ctx;
    const problems: StepProblem[] = [];
    const incomplete: string[] = [];
    const tools = [...new Set(project.config.gates.flatMap((g) => g.requires))];
    for (const tool of await missingTools(tools)) {
      problems.push({ kind: "tool", id: tool, detail: `${tool} is not on PATH (a gate requires it)` });
      incomplete.push(tool);
    }
    try {
      const probe = path.join(ctx.writer.paths.dir, `.write-probe-${process.pid}`);
      mkdirSync(path.dirname(probe), { recursive: true });
      writeFileSync(probe, "");
      rmSync(probe, { force: true });
      accessSync(ctx.writer.paths.dir, constants.W_OK);
    } catch (err) {
      problems.push({
        kind: "evidence",
        id: "evidenceDir",
        detail: `cannot write evidence: ${errorMessage(err)}`,
      });
      incomplete.push("evidenceDir");
    }
    // Every GitHub step is in the run; asking once now beats failing halfway through.
    if ((steps as readonly AnyStep[]).some((s) => STEP_NAMES.has(s.name))) {
      const why = await githubReachable(project);
      if (why) {
        problems.push({ kind: "github", id: "auth", detail: why });
        incomplete.push("github");
      }
    }
    for (const gate of project.config.gates.filter((g): g is GateConfig => g.kind === "workflow-contract")) {
      const outcome = await executeGate(gate, {
        config: project.config,
        repoRoot: project.repoRoot,
        release: ctx.writer.ledger.context,
        changedFiles: [],
        targetDir: ctx.writer.paths.dir,
        log: new MemoryLog(),
        signal: ctx.signal,
      });
      if (outcome.status !== "pass") {
        problems.push({ kind: "contract", id: gate.id, detail: `${outcome.status}: ${outcome.summary}` });
        if (outcome.status !== "fail") incomplete.push(gate.id);
      }
    }
    if (problems.length === 0)
      return {
        status: "done",
        summary: "tools, GitHub access, evidence directory and workflow contract are fine",
      };
    const status = problems.length === incomplete.length ? "incomplete" : "blocked";
    return { status, summary: problems.map((p) => `${p.kind} ${p.id}: ${p.detail}`).join("; "), problems };
  },
};

const gatesPhase: RunPhase = {
  name: "gates",
  async run(ctx) {
    const report = await runGatesWith(ctx.project, ctx.writer, ctx.project.config.gates, {
      jobs: ctx.jobs,
      rerun: false,
      fileBlockers: true,
      signal: ctx.signal,
      reporter: async () => new LineReporter((text) => ctx.progress(`  ${text}`)),
    });
    const counts = Object.entries(report.counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ");
    if (report.gates.length === 0) return { status: "incomplete", summary: "no gates are configured" };
    if (report.exitCode === 0) return { status: "done", summary: counts };
    const blocking = report.gates.filter((g) => g.status === "fail" || g.status === "incomplete");
    return {
      status: report.exitCode === 1 ? "blocked" : "incomplete",
      summary: `${counts}: ${blocking.map((g) => `${g.id} ${g.status} (${g.summary})`).join("; ")}`,
      problems: blocking.map((g) => ({
        kind: "gate",
        id: g.id,
        detail: `${g.status}: ${g.summary}${g.blockerId ? ` [blocker ${g.blockerId}]` : ""}`,
      })),
    };
  },
};

/** The guard's key for the current commit and tree: a pass for the same key is not measured again. */
async function benchKey(ctx: RunContext): Promise<string> {
  const { sha, fingerprint } = await keyFacts(
    ctx.project.repoRoot,
    ctx.writer.paths,
    ctx.writer.ledger.context,
  );
  return createHash("sha256")
    .update(JSON.stringify({ sha, fingerprint, bench: ctx.project.config.bench }))
    .digest("hex")
    .slice(0, 32);
}

const benchPhase: RunPhase = {
  name: "bench",
  async run(ctx) {
    const { config } = ctx.project;
    if (!config.bench) return { status: "skipped", summary: "no bench: section in the config" };
    if (config.gates.some((g) => g.kind === "bench"))
      return { status: "skipped", summary: "a bench gate measured it in the gates phase" };
    const key = await benchKey(ctx);
    const passed = ctx.writer.ledger.events.some(
      (e) =>
        e.type === "run-phase" && e.data.phase === "bench" && e.data.status === "done" && e.data.key === key,
    );
    if (passed)
      return { status: "verified", summary: "already passed for this commit, tree and bench settings" };
    // Loaded here: the guard's statistics are only needed when it measures.
    const { runGuardWith } = await import("../bench/guard.js");
    const result = await runGuardWith(ctx.project, ctx.writer, config.bench, {
      signal: ctx.signal,
      log: (text) => ctx.progress(`  ${text.trimEnd()}`),
    });
    const summary = result.report.summary;
    if (result.exitCode === 0) return { status: "done", summary: `${summary} [key ${key}]` };
    return {
      status: result.exitCode === 1 ? "blocked" : "incomplete",
      summary,
      problems: [{ kind: "bench", id: "bench", detail: summary }],
    };
  },
};

const blockersPhase: RunPhase = {
  name: "blockers",
  async run(ctx) {
    const problems = await blockerProblems({
      config: ctx.project.config,
      repoRoot: ctx.project.repoRoot,
      ledger: ctx.writer.ledger,
    });
    if (problems.length === 0) return { status: "done", summary: "no blocker is open" };
    return { status: "blocked", summary: `${problems.length} blocker(s) open`, problems };
  },
};

/** A release step as a phase: the runner's plan/apply/verify, with the input its command defaults to. */
function stepPhase(step: AnyStep): RunPhase {
  return {
    name: step.name,
    async run(ctx) {
      const { config } = ctx.project;
      if (step.configured && !step.configured(config))
        return { status: "skipped", summary: `the config does not ask for ${step.name}` };
      const base = step.runInput?.(config) ?? {};
      const input =
        typeof base === "object" && base !== null && "credentialsRotated" in base
          ? { ...base, credentialsRotated: ctx.credentialsRotated }
          : base;
      const outcome = await runStep(step, input, {
        project: ctx.project,
        writer: ctx.writer,
        signal: ctx.signal,
        progress: (text, key) => ctx.progress(`  ${text}`, key),
        asRun: true,
      });
      const describe = () => {
        const record = outcome.record ?? (ctx.writer.ledger.mechanics as Record<string, unknown>)[step.name];
        return record === undefined ? "" : step.describe(record).detail;
      };
      switch (outcome.result) {
        case "verified":
          return { status: "verified", summary: `already done: ${describe()}` };
        case "applied":
          return { status: "done", summary: outcome.actions.map((a) => a.done).join("; ") || describe() };
        case "planned":
          return {
            status: "planned",
            summary: `dry run: would ${outcome.actions.map((a) => a.todo).join("; ") || "do nothing"}`,
          };
        case "skipped":
          return {
            status: "skipped",
            summary: (outcome.facts as { reason?: string } | undefined)?.reason ?? "",
          };
        default:
          return {
            status: "blocked",
            summary: outcome.problems.map((p) => `${p.kind} ${p.id}: ${p.detail}`).join("; "),
            problems: outcome.problems,
          };
      }
    },
  };
}

/** The whole release, in order. */
export const phases: readonly RunPhase[] = [
  preflightPhase,
  gatesPhase,
  benchPhase,
  blockersPhase,
  ...(steps as readonly AnyStep[]).map(stepPhase),
];

/** An IncompleteError inside a phase decides nothing: the phase is incomplete, naming why. */
export async function runPhase(phase: RunPhase, ctx: RunContext): Promise<PhaseResult> {
  try {
    return await phase.run(ctx);
  } catch (err) {
    if (!(err instanceof IncompleteError)) throw err;
    return {
      status: "incomplete",
      summary: err.message,
      problems: [
        { kind: "incomplete", id: phase.name, detail: err.message, ...(err.fix ? { fix: err.fix } : {}) },
      ],
    };
  }
}
