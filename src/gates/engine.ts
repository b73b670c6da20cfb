// The gate scheduler: runs applicable gates concurrently (respecting `after`), with timeouts, the resume
// cache and fail-closed outcomes, writing each result to the ledger the moment it is known.
import { createHash, randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import which from "which";
import type { GateConfig, ShipgateConfig } from "../config/schema.js";
import { changedFiles, currentBranch, headSha, remoteTagState, worktreeFingerprint } from "../context/git.js";
import { NO_BASE_TAG, type ReleaseContext, versionOf } from "../context/inputs.js";
import { errorMessage } from "../errors.js";
import { type LedgerWriter, nowIso } from "../evidence/ledger.js";
import type { LedgerPaths } from "../evidence/paths.js";
import { advancePhase, type GateRecord } from "../evidence/schema.js";
import { execShell } from "./exec.js";
import { findGateKind } from "./kinds/index.js";
import { FileGateLog } from "./log.js";
import { triggerDecision } from "./select.js";
import type { GateContext, GateLog, Outcome } from "./types.js";

/** Gates without a `timeout` get this one: nothing may hang a release forever. */
export const DEFAULT_GATE_TIMEOUT_MS = 30 * 60_000;

export interface GateResult {
  id: string;
  name: string;
  status: GateRecord["status"];
  summary: string;
  durationMs: number;
  cached: boolean;
  logPath?: string;
  blockerId?: string;
  /** Set when filing this gate's blocker failed (the gate still blocks). */
  blockerError?: string;
}

export interface GateReporter {
  start(gate: GateConfig): void;
  finish(gate: GateConfig, result: GateResult): void;
}

/** Called for each blocking outcome / each pass, so blockers are filed or resolved as results arrive. */
export interface BlockerHooks {
  blocked(gate: GateConfig, record: GateRecord): Promise<string | undefined>;
  passed(gate: GateConfig): Promise<void>;
}

export interface RunGatesOptions {
  config: ShipgateConfig;
  repoRoot: string;
  paths: LedgerPaths;
  writer: LedgerWriter;
  release: ReleaseContext;
  gates: GateConfig[];
  jobs: number;
  rerun: boolean;
  signal: AbortSignal;
  reporter?: GateReporter;
  blockers?: BlockerHooks;
}

export function gateName(gate: GateConfig): string {
  return gate.name ?? gate.id;
}

async function cacheKeyOf(
  gate: GateConfig,
  config: ShipgateConfig,
  repoRoot: string,
  facts: { sha: string; baseTag: string; target: string; fingerprint: string },
): Promise<string> {
  let inputs: unknown;
  try {
    inputs = await findGateKind(gate.kind)?.cacheInputs?.(gate, { repoRoot, config });
  } catch (err) {
    // Inputs that cannot be read make a key nothing recorded can match: run again, never reuse.
    inputs = { unreadable: errorMessage(err), nonce: randomUUID() };
  }
  return createHash("sha256")
    .update(JSON.stringify({ gate, ...facts, ...(inputs === undefined ? {} : { inputs }) }))
    .digest("hex")
    .slice(0, 32);
}

/**
 * Each gate's cache key for the repository as it is now: what a recorded outcome must carry to count
 * as evidence for this commit and tree (the engine reuses a pass on it; mechanics require it).
 */
export async function currentCacheKeys(
  config: ShipgateConfig,
  repoRoot: string,
  paths: LedgerPaths,
  release: ReleaseContext,
): Promise<Map<string, string>> {
  const exclude = [path.relative(repoRoot, paths.evidenceDir)];
  const [sha, fingerprint] = await Promise.all([headSha(repoRoot), worktreeFingerprint(repoRoot, exclude)]);
  const facts = { sha, baseTag: release.baseTag, target: release.releaseTarget, fingerprint };
  const keys = await Promise.all(config.gates.map((gate) => cacheKeyOf(gate, config, repoRoot, facts)));
  return new Map(config.gates.map((gate, i) => [gate.id, keys[i] as string]));
}

/** Runs the gates and returns their results in config order. Never throws for a gate's own failure. */
export async function runGates(options: RunGatesOptions): Promise<GateResult[]> {
  const { repoRoot, paths, writer, release } = options;
  const exclude = [path.relative(repoRoot, paths.evidenceDir)];
  const firstRelease = release.baseTag === NO_BASE_TAG;
  const [sha, branch, remoteTag, changed, fingerprint] = await Promise.all([
    headSha(repoRoot),
    currentBranch(repoRoot),
    remoteTagState(repoRoot, release.releaseTarget),
    changedFiles(repoRoot, firstRelease ? null : release.baseTag, exclude),
    worktreeFingerprint(repoRoot, exclude),
  ]);

  // Every selected gate is on record before anything runs: a crash leaves `pending`, never "missing".
  writer.update("gates-started", { gates: options.gates.map((g) => g.id), sha }, (ledger) => {
    advancePhase(ledger.checkpoint, "gates");
    ledger.checkpoint.sha = sha;
    ledger.checkpoint.branch = branch;
    ledger.checkpoint.remoteTag = remoteTag;
    for (const gate of options.gates) {
      if (!ledger.gates[gate.id]) {
        ledger.gates[gate.id] = {
          id: gate.id,
          name: gateName(gate),
          kind: gate.kind,
          status: "pending",
          summary: "not run yet",
          commands: [],
        };
      }
    }
  });

  const results = new Map<string, Promise<GateResult>>();
  const slots = new Semaphore(Math.max(1, options.jobs));

  const runOne = async (gate: GateConfig): Promise<GateResult> => {
    const waitFor = gate.after
      .map((id) => results.get(id))
      .filter((p): p is Promise<GateResult> => p !== undefined);
    const deps = await Promise.all(waitFor);
    const blockedDeps = deps.filter((d) => d.status !== "pass" && d.status !== "skipped");
    const cacheKey = await cacheKeyOf(gate, options.config, repoRoot, {
      sha,
      baseTag: release.baseTag,
      target: release.releaseTarget,
      fingerprint,
    });

    if (blockedDeps.length > 0) {
      return record(
        gate,
        {
          status: "incomplete",
          summary: `not run: waits for ${blockedDeps.map((d) => `${d.id} (${d.status})`).join(", ")}`,
        },
        { cacheKey },
      );
    }
    const trigger = triggerDecision(gate, changed, firstRelease);
    if (!trigger.applies) {
      return record(
        gate,
        {
          status: "skipped",
          summary: `skipped: ${trigger.reason}`,
          details: { triggers: gate.when?.changed, changedFiles: changed.length },
        },
        { cacheKey },
      );
    }
    const previous = writer.ledger.gates[gate.id];
    if (!options.rerun && previous?.status === "pass" && previous.cacheKey === cacheKey) {
      writer.update("gate-cached", { id: gate.id, cacheKey }, (ledger) => {
        const entry = ledger.gates[gate.id];
        if (entry) entry.cached = true;
      });
      const result = toResult(writer.ledger.gates[gate.id] as GateRecord);
      options.reporter?.finish(gate, result);
      return result;
    }

    await slots.acquire();
    try {
      if (options.signal.aborted) {
        return record(
          gate,
          { status: "incomplete", summary: "not run: the run was interrupted" },
          { cacheKey },
        );
      }
      options.reporter?.start(gate);
      const startedAt = nowIso();
      const logFile = path.join(paths.logs, `${gate.id}.log`);
      writer.update("gate-started", { id: gate.id }, (ledger) => {
        ledger.gates[gate.id] = {
          id: gate.id,
          name: gateName(gate),
          kind: gate.kind,
          status: "running",
          summary: "running",
          startedAt,
          commands: [],
          runnerPid: process.pid,
          logPath: path.relative(repoRoot, logFile),
          blockerId: ledger.gates[gate.id]?.blockerId,
        };
      });
      const log = new FileGateLog(logFile);
      const started = Date.now();
      const outcome = await execute(gate, log, { ...options, changed });
      return record(
        gate,
        { ...outcome, excerpt: outcome.excerpt ?? log.tail() },
        { cacheKey, startedAt, durationMs: Date.now() - started, logFile },
      );
    } finally {
      slots.release();
    }
  };

  const record = async (
    gate: GateConfig,
    outcome: Outcome,
    extra: { cacheKey: string; startedAt?: string; durationMs?: number; logFile?: string },
  ): Promise<GateResult> => {
    const entry: GateRecord = {
      id: gate.id,
      name: gateName(gate),
      kind: gate.kind,
      status: outcome.status,
      summary: outcome.summary,
      startedAt: extra.startedAt,
      finishedAt: nowIso(),
      durationMs: extra.durationMs,
      commands: outcome.commands ?? [],
      excerpt: outcome.excerpt || undefined,
      logPath: extra.logFile ? path.relative(repoRoot, extra.logFile) : undefined,
      cacheKey: extra.cacheKey,
      cached: false,
      details: outcome.details,
      blockerId: writer.ledger.gates[gate.id]?.blockerId,
    };
    writer.update(
      "gate-finished",
      { id: gate.id, status: entry.status, summary: entry.summary },
      (ledger) => {
        ledger.gates[gate.id] = entry;
      },
    );
    let blockerError: string | undefined;
    if (options.blockers) {
      try {
        if (entry.status === "fail" || entry.status === "incomplete") {
          const blockerId = await options.blockers.blocked(gate, entry);
          if (blockerId) {
            writer.update("gate-blocker", { id: gate.id, blockerId }, (ledger) => {
              const current = ledger.gates[gate.id];
              if (current) current.blockerId = blockerId;
            });
          }
        } else if (entry.status === "pass") {
          await options.blockers.passed(gate);
        }
      } catch (err) {
        // Filing failed: the gate's own status stands (it already blocks); the failure is on record.
        blockerError = errorMessage(err);
        writer.update("blocker-filing-failed", { id: gate.id, error: blockerError });
      }
    }
    const result = {
      ...toResult(writer.ledger.gates[gate.id] as GateRecord),
      ...(blockerError ? { blockerError } : {}),
    };
    options.reporter?.finish(gate, result);
    return result;
  };

  // Gates are started in an order where every `after` dependency is registered first.
  for (const gate of topological(options.gates)) results.set(gate.id, runOne(gate));
  const settled = await Promise.all(options.gates.map((g) => results.get(g.id) as Promise<GateResult>));
  writer.update("gates-finished", {
    pass: settled.filter((r) => r.status === "pass").length,
    total: settled.length,
  });
  return settled;
}

function toResult(entry: GateRecord): GateResult {
  return {
    id: entry.id,
    name: entry.name,
    status: entry.status,
    summary: entry.summary,
    durationMs: entry.durationMs ?? 0,
    cached: entry.cached ?? false,
    logPath: entry.logPath,
    blockerId: entry.blockerId,
  };
}

/** Runs one gate's kind with its timeout and interrupt wired in; every exception becomes `incomplete`. */
async function execute(
  gate: GateConfig,
  log: GateLog,
  options: RunGatesOptions & { changed: string[] },
): Promise<Outcome> {
  const kind = findGateKind(gate.kind);
  if (!kind) return { status: "incomplete", summary: `unknown gate kind ${gate.kind}` };

  const missing: string[] = [];
  for (const tool of gate.requires) if (!(await which(tool, { nothrow: true }))) missing.push(tool);
  if (missing.length > 0) {
    log.write(`missing required tool(s): ${missing.join(", ")}\nPATH=${process.env.PATH ?? ""}\n`);
    return {
      status: "incomplete",
      summary: `required tool${missing.length > 1 ? "s" : ""} not on PATH: ${missing.join(", ")}`,
    };
  }

  const timeoutMs = gate.timeout ?? DEFAULT_GATE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  const onInterrupt = () => controller.abort();
  options.signal.addEventListener("abort", onInterrupt, { once: true });
  const cwd = gate.cwd ? path.resolve(options.repoRoot, gate.cwd) : options.repoRoot;
  const ctx: GateContext = {
    repoRoot: options.repoRoot,
    cwd,
    release: options.release,
    version: versionOf(options.release.releaseTarget),
    config: options.config,
    changedFiles: options.changed,
    targetDir: options.paths.dir,
    log,
    signal: controller.signal,
    recordBench: (data) =>
      options.writer.update("bench-recorded", { gate: gate.id, status: data.status }, (ledger) => {
        ledger.bench = data;
      }),
    exec: async (command, execOptions = {}) => {
      log.write(`$ ${command}\n`);
      const result = await execShell(command, {
        cwd: execOptions.cwd ?? cwd,
        env: { ...gate.env, ...execOptions.env },
        timeoutMs: Math.max(1, deadline - Date.now()),
        signal: controller.signal,
        onOutput: (chunk) => log.write(chunk),
      });
      log.write(
        `\n[exit ${result.exitCode ?? result.signal ?? "?"} after ${result.durationMs} ms${result.timedOut ? ", timed out" : ""}]\n`,
      );
      if (result.timedOut) timedOut = true;
      return result;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      resolve({ status: "fail", summary: `timed out after ${Math.round(timeoutMs / 1000)}s` });
    }, timeoutMs + 1000); // exec's own timer fires first for commands; this catches kinds that hang elsewhere
  });
  try {
    const outcome = await Promise.race([kind.run(gate, ctx), timeout]);
    // `skipped` belongs to unmatched triggers only; a kind that claims it has decided nothing.
    if (outcome.status === "skipped")
      return { ...outcome, status: "incomplete", summary: `undecided: ${outcome.summary}` };
    if (options.signal.aborted && outcome.status === "pass")
      return { ...outcome, status: "incomplete", summary: `interrupted: ${outcome.summary}` };
    if (timedOut && outcome.status === "pass")
      return { ...outcome, status: "fail", summary: `timed out: ${outcome.summary}` };
    if (options.signal.aborted && !timedOut)
      return { ...outcome, status: "incomplete", summary: `interrupted: ${outcome.summary}` };
    return outcome;
  } catch (err) {
    log.write(`\nshipgate: the gate crashed: ${errorMessage(err)}\n`);
    return { status: "incomplete", summary: `gate crashed: ${errorMessage(err)}` };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", onInterrupt);
  }
}

function topological(gates: GateConfig[]): GateConfig[] {
  const byId = new Map(gates.map((g) => [g.id, g]));
  const seen = new Set<string>();
  const order: GateConfig[] = [];
  const visit = (gate: GateConfig) => {
    if (seen.has(gate.id)) return;
    seen.add(gate.id);
    for (const dep of gate.after) {
      const found = byId.get(dep);
      if (found) visit(found);
    }
    order.push(gate);
  };
  for (const gate of gates) visit(gate);
  return order;
}

/** Counting semaphore for --jobs. */
class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism());
}
