// The gate engine: runs the applicable gates concurrently (respecting `after`), reusing passes from the
// resume cache, and writes each result to the ledger the moment it is known. How one gate runs is
// execute.ts; its cache key is cache-key.ts; the concurrency primitives are scheduler.ts.
import path from "node:path";
import { saveBench } from "../bench/ledger.js";
import type { BaseConfig } from "../config/base.js";
import { changedFiles } from "../context/git.js";
import { NO_BASE_TAG, type ReleaseContext } from "../context/inputs.js";
import { allInOrder, errorMessage } from "../errors.js";
import { type LedgerWriter, nowIso } from "../evidence/ledger.js";
import type { LedgerPaths } from "../evidence/paths.js";
import { newGateProcesses, processStartTicks } from "../evidence/processes.js";
import { advancePhase, type GateRecord } from "../evidence/schema.js";
import { cacheKeyOf, keyFacts } from "./cache-key.js";
import { executeGate, type GateOutcome } from "./execute.js";
import type { GateConfig } from "./kinds/index.js";
import { FileGateLog } from "./log.js";
import { dependencyOrder, Semaphore } from "./scheduler.js";
import { triggerDecision } from "./select.js";

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
  config: BaseConfig;
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

/** Runs the gates and returns their results in config order. Never throws for a gate's own failure. */
export async function runGates(options: RunGatesOptions): Promise<GateResult[]> {
  const { repoRoot, paths, writer, release } = options;
  const exclude = [path.relative(repoRoot, paths.evidenceDir)];
  const firstRelease = release.baseTag === NO_BASE_TAG;
  // The git questions (tree state, changes since the base tag, each kind's own inputs) are asked at once:
  // each costs a process start, and the answers do not depend on one another until they are combined.
  const factsAsked = keyFacts(repoRoot, paths, release);
  const keyFactsOnly = factsAsked.then(({ branch: _b, untracked: _u, ...facts }) => facts);
  // With no gate selected nothing awaits it; its failure is reported through factsAsked, never lost.
  keyFactsOnly.catch(() => {});
  const [{ branch, sha }, changed, keyList] = await allInOrder([
    factsAsked,
    changedFiles(
      repoRoot,
      firstRelease ? null : release.baseTag,
      exclude,
      factsAsked.then((f) => f.untracked),
    ),
    Promise.all(
      options.gates.map(
        async (g) => [g.id, await cacheKeyOf(g, options.config, repoRoot, keyFactsOnly)] as const,
      ),
    ),
  ]);

  // Decided without running, before anything runs: gates whose trigger matched no change (skipped) and
  // passes the cache still vouches for. They are recorded in the same write as the others' `pending`.
  const keys = new Map(keyList);
  const selected = new Set(options.gates.map((g) => g.id));
  const early = new Map<string, GateRecord>();
  for (const gate of dependencyOrder(options.gates)) {
    const depsDecided = gate.after
      .filter((id) => selected.has(id))
      .every((id) => early.get(id)?.status === "pass" || early.get(id)?.status === "skipped");
    if (!depsDecided) continue;
    const cacheKey = keys.get(gate.id) as string;
    const trigger = triggerDecision(gate, changed, firstRelease);
    const previous = writer.ledger.gates[gate.id];
    if (!trigger.applies) {
      early.set(gate.id, {
        id: gate.id,
        name: gateName(gate),
        kind: gate.kind,
        status: "skipped",
        summary: `skipped: ${trigger.reason}`,
        finishedAt: nowIso(),
        commands: [],
        cacheKey,
        cached: false,
        details: { triggers: gate.when?.changed, changedFiles: changed.length },
        ...(previous?.blockerId ? { blockerId: previous.blockerId } : {}),
      });
    } else if (!options.rerun && previous?.status === "pass" && previous.cacheKey === cacheKey) {
      early.set(gate.id, { ...previous, cached: true });
    }
  }

  // Every selected gate is on record before anything runs: a crash leaves `pending`, never "missing".
  writer.update(
    "gates-started",
    {
      gates: options.gates.map((g) => g.id),
      sha,
      cached: [...early.values()].filter((r) => r.cached).map((r) => r.id),
      skipped: [...early.values()].filter((r) => r.status === "skipped").map((r) => r.id),
    },
    (ledger) => {
      advancePhase(ledger.checkpoint, "gates");
      ledger.checkpoint.sha = sha;
      ledger.checkpoint.branch = branch;
      for (const gate of options.gates) {
        const decided = early.get(gate.id);
        if (decided) ledger.gates[gate.id] = decided;
        else if (!ledger.gates[gate.id]) {
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
    },
  );

  const results = new Map<string, Promise<GateResult>>();
  const interrupted = new Set<string>();
  const slots = new Semaphore(Math.max(1, options.jobs));

  const runOne = async (gate: GateConfig): Promise<GateResult> => {
    if (early.has(gate.id)) {
      const result = toResult(writer.ledger.gates[gate.id] as GateRecord);
      options.reporter?.finish(gate, result);
      return result;
    }
    const waitFor = gate.after
      .map((id) => results.get(id))
      .filter((p): p is Promise<GateResult> => p !== undefined);
    const deps = await Promise.all(waitFor);
    const blockedDeps = deps.filter((d) => d.status !== "pass" && d.status !== "skipped");
    const cacheKey = keys.get(gate.id) as string;

    if (blockedDeps.length > 0) {
      return record(
        gate,
        {
          status: "incomplete",
          summary: `not run: waits for ${blockedDeps.map((d) => `${d.id} (${d.status})`).join(", ")}`,
          // Waiting only on interrupted gates is the interruption's doing too.
          ...(blockedDeps.every((d) => interrupted.has(d.id)) ? { interrupted: true as const } : {}),
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
      writer.stage("gate-cached", { id: gate.id, cacheKey }, (ledger) => {
        ledger.gates[gate.id] = { ...previous, cached: true };
      });
      await writer.flush();
      const result = toResult(writer.ledger.gates[gate.id] as GateRecord);
      options.reporter?.finish(gate, result);
      return result;
    }

    await slots.acquire();
    try {
      if (options.signal.aborted) {
        return record(
          gate,
          { status: "incomplete", summary: "not run: the run was interrupted", interrupted: true },
          { cacheKey },
        );
      }
      options.reporter?.start(gate);
      const startedAt = nowIso();
      const logFile = path.join(paths.logs, `${gate.id}.log`);
      // On disk before any command starts: the marker every command will carry, and then each
      // process group as it is created, so a writer after a SIGKILL can find and kill what is left.
      // Gates starting together share one write.
      const processes = newGateProcesses();
      writer.stage("gate-started", { id: gate.id }, (ledger) => {
        ledger.gates[gate.id] = {
          id: gate.id,
          name: gateName(gate),
          kind: gate.kind,
          status: "running",
          summary: "running",
          startedAt,
          commands: [],
          runnerPid: process.pid,
          processes,
          logPath: path.relative(repoRoot, logFile),
          blockerId: ledger.gates[gate.id]?.blockerId,
        };
      });
      await writer.flush();
      // A group id is written with the next write, not waited for: until then the marker (already on
      // disk) identifies the group, and another gate's start is not held back by this one's spawn.
      const onSpawn = (pgid: number) => {
        try {
          writer.stage("gate-process", { id: gate.id, pgid }, (ledger) => {
            ledger.gates[gate.id]?.processes?.groups.push({ pgid, startTicks: processStartTicks(pgid) });
          });
          writer.flush().catch(() => {
            // Not on record (the ledger could not be written): the marker still identifies the group.
          });
        } catch {
          // as above
        }
      };
      const log = new FileGateLog(logFile);
      const started = Date.now();
      const outcome = await executeGate(gate, {
        config: options.config,
        repoRoot,
        release,
        changedFiles: changed,
        targetDir: paths.dir,
        log,
        signal: options.signal,
        recordBench: (data) => saveBench(writer, data, `gate ${gate.id}`),
        processes: { marker: processes.marker, onSpawn },
      });
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
    outcome: GateOutcome,
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
    // Gates finishing together share one write; the result is on disk before anything is filed.
    writer.stage("gate-finished", { id: gate.id, status: entry.status, summary: entry.summary }, (ledger) => {
      ledger.gates[gate.id] = entry;
    });
    await writer.flush();
    if (outcome.interrupted) interrupted.add(gate.id);
    let blockerError: string | undefined;
    // An interruption (Ctrl-C, SIGTERM) is no defect of the release: it files nothing and resolves
    // nothing; the gate stays `incomplete` until it is run again. A timeout is the gate's own failure.
    if (options.blockers && !outcome.interrupted) {
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
  for (const gate of dependencyOrder(options.gates)) results.set(gate.id, runOne(gate));
  const settled = await Promise.all(options.gates.map((g) => results.get(g.id) as Promise<GateResult>));
  // A summary of results each already on disk: it rides on the next write, or the lock's release.
  writer.stage("gates-finished", {
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
