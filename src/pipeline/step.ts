// The release-step extension point. A step (tag, build, provenance, Homebrew update, rehearsal, publish,
// delivery) is planned before it is applied: `plan` returns data — what refuses it, what it would do,
// what it finds done — `apply` performs the actions and returns the record the ledger keeps, and
// `verify` re-checks the remote state behind a record of a step that already succeeded. The runner
// (run-step.ts) owns the ledger writes and the dry-run rule; steps only see this context.
import type { z } from "zod";
import type { DeliveryEntry } from "../channels/outcome.js";
import type { ShipgateConfig } from "../config/schema.js";
import type { ReleaseContext } from "../context/inputs.js";
import type { LedgerPaths } from "../evidence/paths.js";
import type { BlockerRequest } from "../types.js";

export interface StepProblem {
  /** What kind of thing refuses the step: blocker, gate, tree, tag, run, provenance, … */
  kind: string;
  id: string;
  detail: string;
  /** A command (argv) that fixes or explains it, when there is one. */
  fix?: string[];
}

export interface StepAction {
  id: string;
  /** Imperative, for a plan: "create annotated tag v1.2.3 at 0123abcd". */
  todo: string;
  /** Past tense, once applied: "created annotated tag …". */
  done: string;
}

export interface StepPlan<F> {
  /** Non-empty: the step is refused and nothing is changed. */
  problems: StepProblem[];
  /** What apply does (live) or would do (dry run); empty when everything is already in place. */
  actions: StepAction[];
  /** Facts the plan established (shown in the output, handed to apply). */
  facts: F;
}

/** What a step may change of the checkpoint besides its phase. */
export interface CheckpointUpdate {
  sha?: string;
  remoteTag?: string;
  lastRunId?: string | null;
  lastRunUrl?: string | null;
}

export interface FiledBlockerRef {
  id: string;
  /** A dry run left the remote tracker untouched; the ledger records what would have been filed. */
  dryRun: boolean;
  created: boolean;
  url?: string;
}

export interface StepContext<R> {
  config: ShipgateConfig;
  repoRoot: string;
  paths: LedgerPaths;
  release: ReleaseContext;
  dryRun: boolean;
  signal: AbortSignal;
  /** The ledger's mechanics records as validated on read, by step name. */
  records: Readonly<Record<string, unknown>>;
  /** Every reason the release may not move: open blockers, gates not passed for this commit. */
  guard(): Promise<StepProblem[]>;
  /** Records progress inside apply (e.g. "tag created, not pushed yet"), so a crash resumes from it. */
  save(record: R, checkpoint?: CheckpointUpdate): void;
  /** A progress line; `key` names what it reports on, so a terminal can redraw that line in place. */
  progress(text: string, key?: string): void;
  /** Files (or finds, idempotently) a blocker for this release; a dry run leaves a remote tracker untouched
   * (then `dryRun` is set and the ledger records what would have been filed). Steps never touch the
   * ledger or tracker directly. */
  fileBlocker(request: BlockerRequest): Promise<FiledBlockerRef>;
  /** Records what a channel serves in the ledger's `delivery` section, keyed by channel id. */
  recordDelivery(id: string, entry: DeliveryEntry): void;
}

export interface Step<I, F, R, N extends string = string> {
  /** The key of its record in the ledger's `mechanics`, and the command that runs it alone. A literal
   * type (the fourth type argument of defineStep), so the ledger's `mechanics` type knows each record. */
  name: N;
  /** The checkpoint phase reached once it succeeded live. */
  phase: string;
  /** The command that runs it, after `shipgate` (default: its name), e.g. ["homebrew", "update"]. */
  command?: readonly string[];
  /** Whether the config asks for this step at all (default: yes); `next` passes over one that is not. */
  configured?(config: ShipgateConfig): boolean;
  /** The ledger record's schema (validated on every read of the ledger). */
  record: z.ZodType<R>;
  /** One line for status and evidence.md. */
  describe(record: R): { state: string; detail: string };
  /** Whether a record says the step succeeded for real (then it is verified, never applied again). */
  succeeded(record: R): boolean;
  /** The input `shipgate run` gives the step (default `{}`): what its command's defaults would be. */
  runInput?(config: ShipgateConfig): I;
  /**
   * Whether `shipgate run` takes this step now (default: yes). A rehearsal, say, runs in every dry run
   * but in a live release only when the rehearsal policy asks for one.
   */
  runWhen?(ctx: StepContext<R>, input: I): Promise<{ run: boolean; reason: string }>;
  /** The input asks about something else than the succeeded record (another run id): plan afresh. */
  supersedes?(record: R, input: I): boolean;
  plan(ctx: StepContext<R>, input: I): Promise<StepPlan<F>>;
  /** Read-only steps and rehearsals apply in dry-run mode too; the default is to record the plan only. */
  appliesInDryRun?(plan: StepPlan<F>, input: I): boolean;
  /** The record a dry run keeps instead of applying. */
  planned(plan: StepPlan<F>, input: I): R;
  apply(
    ctx: StepContext<R>,
    plan: StepPlan<F>,
    input: I,
  ): Promise<{
    record: R;
    checkpoint?: CheckpointUpdate;
    /** What apply found wrong (a failed run, a provenance violation): recorded, and the step exits 1. */
    problems?: StepProblem[];
  }>;
  /** Problems when the remote no longer holds what the record says (empty: still true). */
  verify(ctx: StepContext<R>, record: R, input: I): Promise<StepProblem[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: the step list holds steps of different input and record types.
export type AnyStep = Step<any, any, any>;

/** Declares a step with its types kept. */
export function defineStep<I, F, R, N extends string = string>(step: Step<I, F, R, N>): Step<I, F, R, N> {
  return step;
}
