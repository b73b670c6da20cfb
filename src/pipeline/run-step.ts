// Runs one release step against a target's ledger: verify a step that already succeeded (never apply it
// twice), else plan; a refused plan changes nothing; in dry-run mode the plan is recorded, not applied
// (unless the step is read-only or a rehearsal); otherwise apply and record, then advance the phase.
// An apply that found something wrong (a failed run) records what it found and reports it as failed.
import type { Project } from "../context/project.js";
import type { LedgerWriter } from "../evidence/ledger.js";
import { advancePhase, type Ledger } from "../evidence/schema.js";
import { fileBlocker } from "../trackers/blockers.js";
import type { Tracker } from "../trackers/types.js";
import { releaseProblems } from "./release-guard.js";
import type { CheckpointUpdate, Step, StepAction, StepContext, StepProblem } from "./step.js";

export interface StepOutcome<F, R> {
  step: string;
  /**
   * refused: nothing changed; planned: dry run recorded the plan; applied: done now; failed: applied, and
   * what it found is wrong (recorded, exit 1); verified: done before.
   */
  result: "refused" | "planned" | "applied" | "failed" | "verified" | "skipped";
  dryRun: boolean;
  problems: StepProblem[];
  actions: StepAction[];
  facts?: F;
  record?: R;
}

export interface RunStepOptions {
  project: Project;
  writer: LedgerWriter;
  signal?: AbortSignal;
  progress?: (text: string, key?: string) => void;
  /** Used instead of the configured tracker (tests, and `run`, which reuses one). */
  tracker?: Tracker;
  /** `shipgate run`: ask the step whether it runs now (runWhen) before planning it. */
  asRun?: boolean;
}

function applyCheckpoint(ledger: Ledger, update: CheckpointUpdate | undefined): void {
  if (!update) return;
  const k = ledger.checkpoint;
  if (update.sha !== undefined) k.sha = update.sha;
  if (update.remoteTag !== undefined) k.remoteTag = update.remoteTag;
  if (update.lastRunId !== undefined) k.lastRunId = update.lastRunId;
  if (update.lastRunUrl !== undefined) k.lastRunUrl = update.lastRunUrl;
}

export async function runStep<I, F, R>(
  step: Step<I, F, R>,
  input: I,
  options: RunStepOptions,
): Promise<StepOutcome<F, R>> {
  const { project, writer } = options;
  const release = writer.ledger.context;
  const dryRun = release.mode === "dry-run";
  const setRecord = (ledger: Ledger, record: R) => {
    (ledger.mechanics as Record<string, unknown>)[step.name] = record;
  };
  const ctx: StepContext<R> = {
    config: project.config,
    repoRoot: project.repoRoot,
    paths: writer.paths,
    release,
    dryRun,
    signal: options.signal ?? new AbortController().signal,
    records: writer.ledger.mechanics as Record<string, unknown>,
    guard: () =>
      releaseProblems({
        config: project.config,
        repoRoot: project.repoRoot,
        paths: writer.paths,
        ledger: writer.ledger,
        tracker: options.tracker,
      }),
    save: (record, checkpoint) => {
      writer.update(`${step.name}-progress`, { step: step.name }, (ledger) => {
        setRecord(ledger, record);
        applyCheckpoint(ledger, checkpoint);
      });
      ctx.records = writer.ledger.mechanics as Record<string, unknown>;
    },
    fileBlocker: async (request) => {
      const filed = await fileBlocker({
        config: project.config,
        repoRoot: project.repoRoot,
        writer,
        release,
        request,
        ...(options.tracker ? { tracker: options.tracker } : {}),
      });
      ctx.records = writer.ledger.mechanics as Record<string, unknown>;
      return {
        id: filed.id,
        dryRun: filed.dryRun,
        created: filed.created,
        ...(filed.url ? { url: filed.url } : {}),
      };
    },
    progress: options.progress ?? (() => {}),
    recordDelivery: (id, entry) => {
      writer.update("delivery-checked", { id, status: entry.status }, (ledger) => {
        ledger.delivery[id] = entry;
      });
      ctx.records = writer.ledger.mechanics as Record<string, unknown>;
    },
  };

  const existing = ctx.records[step.name] as R | undefined;
  if (existing !== undefined && step.succeeded(existing) && !step.supersedes?.(existing, input)) {
    const problems = await step.verify(ctx, existing, input);
    if (problems.length > 0) {
      writer.update(`${step.name}-verify-failed`, { step: step.name, problems });
      return { step: step.name, result: "refused", dryRun, problems, actions: [], record: existing };
    }
    // Only a note: losing it to a kill costs a second verification, so it rides on the next write.
    writer.stage(`${step.name}-verified`, { step: step.name });
    return { step: step.name, result: "verified", dryRun, problems: [], actions: [], record: existing };
  }

  if (options.asRun && step.runWhen) {
    const when = await step.runWhen(ctx, input);
    if (!when.run) {
      writer.update(`${step.name}-skipped`, { step: step.name, reason: when.reason });
      return {
        step: step.name,
        result: "skipped",
        dryRun,
        problems: [],
        actions: [],
        facts: { reason: when.reason } as F,
      };
    }
  }

  const plan = await step.plan(ctx, input);
  const base = { step: step.name, dryRun, problems: plan.problems, actions: plan.actions, facts: plan.facts };
  if (plan.problems.length > 0) {
    writer.update(`${step.name}-refused`, { step: step.name, problems: plan.problems });
    return { ...base, result: "refused" };
  }
  if (dryRun && !step.appliesInDryRun?.(plan, input)) {
    const record = step.planned(plan, input);
    writer.update(
      `${step.name}-planned`,
      { step: step.name, actions: plan.actions.map((a) => a.id) },
      (ledger) => setRecord(ledger, record),
    );
    return { ...base, result: "planned", record };
  }
  const { record, checkpoint, problems = [] } = await step.apply(ctx, plan, input);
  const failed = problems.length > 0;
  writer.update(
    `${step.name}-${failed ? "failed" : "applied"}`,
    { step: step.name, actions: plan.actions.map((a) => a.id), ...(failed ? { problems } : {}) },
    (ledger) => {
      setRecord(ledger, record);
      applyCheckpoint(ledger, checkpoint);
      if (!failed && step.succeeded(record)) advancePhase(ledger.checkpoint, step.phase);
    },
  );
  return { ...base, problems, result: failed ? "failed" : "applied", record };
}
