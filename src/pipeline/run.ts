// `run`: the whole release as one resumable pipeline. Walks the phases in order under the target's lock,
// writes each phase's outcome before the next starts, stops at the first that blocks (exit 1) or cannot
// decide (exit 3) with the command that continues, and on a rerun resumes: remote state is re-verified
// (each succeeded step verifies itself), cached gates are reused, and no mutating step is repeated.

import { headAndBranch } from "../context/git.js";
import type { ProjectOptions } from "../context/project.js";
import { ExitCode, UsageError } from "../errors.js";
import { withWriter } from "../evidence/ledger.js";
import { goLiveCommand, type NextStep, nextStep } from "../evidence/next-step.js";
import { loadTarget, type TargetFlags } from "../evidence/target.js";
import { type PhaseResult, type PhaseStatus, phases, runPhase } from "./phases.js";
import type { TagRecord } from "./steps/tag.js";

export interface RunRequest {
  /** Stop after this phase (inclusive). */
  until?: string | undefined;
  jobs: number;
  credentialsRotated: boolean;
  signal: AbortSignal;
  progress(text: string, key?: string): void;
}

export interface PhaseReport extends PhaseResult {
  phase: string;
}

export interface RunReport {
  exitCode: number;
  releaseTarget: string;
  mode: string;
  resumed: boolean;
  phases: PhaseReport[];
  /** The phase the run stopped at, when it did not finish. */
  stoppedAt: string | null;
  /** The command that continues the release after whatever stopped it is dealt with. */
  continue: string[];
  ledger: string;
  next: NextStep | null;
}

const BLOCKING: ReadonlySet<PhaseStatus> = new Set(["blocked", "incomplete"]);
const short = (sha: string) => sha.slice(0, 12);

export function phaseNames(): string[] {
  return phases.map((p) => p.name);
}

export async function runRelease(
  options: ProjectOptions,
  flags: TargetFlags,
  request: RunRequest,
): Promise<RunReport> {
  const names = phaseNames();
  if (request.until !== undefined && !names.includes(request.until))
    throw new UsageError(`--until "${request.until}" is not a phase`, `phases in order: ${names.join(", ")}`);
  const { project, paths, ledger } = await loadTarget(options, flags);
  const target = ledger.context.releaseTarget;
  const continueCommand = ["shipgate", "run", "--release-target", target];
  return withWriter(paths, `shipgate run ${target}`, async (writer) => {
    writer.config = project.config;
    const head = await headAndBranch(project.repoRoot);
    const resumed = writer.ledger.events.some((e) => e.type === "run-started");
    if (resumed) {
      const k = writer.ledger.checkpoint;
      // Written with run-started (or run-refused) just below.
      writer.stage("resumed", {
        agent: writer.ledger.context.agent,
        checkpoint: {
          phase: k.phase,
          sha: k.sha,
          branch: k.branch,
          remoteTag: k.remoteTag,
          lastRunId: k.lastRunId,
        },
        head: { sha: head.sha, branch: head.branch },
      });
    }
    const base = {
      releaseTarget: target,
      mode: writer.ledger.context.mode,
      resumed,
      continue: continueCommand,
      ledger: paths.json,
    };

    // A release is never re-tagged: once the tag is pushed, the release is that commit.
    const tag = writer.ledger.mechanics.tag as TagRecord | undefined;
    if (tag && !tag.dryRun && tag.pushed && tag.sha !== head.sha) {
      const detail = `${tag.tag} was pushed at ${short(tag.sha)} but HEAD is now ${short(head.sha)}: a release is never re-tagged; check out ${short(tag.sha)} to finish ${tag.tag}, or release the new commit as a new version`;
      writer.update("run-refused", { reason: detail });
      return {
        ...base,
        exitCode: ExitCode.blocked,
        phases: [
          {
            phase: "resume",
            status: "blocked",
            summary: detail,
            problems: [{ kind: "tag", id: tag.tag, detail, fix: ["git", "checkout", tag.sha] }],
          },
        ],
        stoppedAt: "resume",
        next: { command: ["git", "checkout", tag.sha], reason: detail },
      };
    }

    writer.update("run-started", { until: request.until ?? null, resumed });
    const reports: PhaseReport[] = [];
    for (const phase of phases) {
      if (request.signal.aborted) {
        reports.push({ phase: phase.name, status: "incomplete", summary: "interrupted before it started" });
        break;
      }
      request.progress(`phase ${phase.name}`);
      const result = await runPhase(phase, {
        project,
        writer,
        signal: request.signal,
        progress: request.progress,
        jobs: request.jobs,
        credentialsRotated: request.credentialsRotated,
      });
      const key = /\[key ([0-9a-f]+)\]$/.exec(result.summary)?.[1];
      writer.update("run-phase", {
        phase: phase.name,
        status: result.status,
        summary: result.summary,
        ...(key ? { key } : {}),
      });
      reports.push({ phase: phase.name, ...result });
      request.progress(`phase ${phase.name}: ${result.status} — ${result.summary}`);
      if (BLOCKING.has(result.status) || request.until === phase.name) break;
    }

    const last = reports.at(-1);
    const stopped = last && BLOCKING.has(last.status) ? last : null;
    const exitCode = !stopped
      ? request.signal.aborted
        ? ExitCode.incomplete
        : ExitCode.pass
      : stopped.status === "blocked"
        ? ExitCode.blocked
        : ExitCode.incomplete;
    writer.update("run-finished", { exitCode, stoppedAt: stopped?.phase ?? null });

    let next: NextStep | null;
    if (stopped) {
      const fix = stopped.problems?.find((p) => p.fix && p.fix[1] !== "gates" && p.fix[1] !== "run");
      next = fix?.fix
        ? {
            command: fix.fix,
            reason: `${stopped.phase}: ${fix.kind} ${fix.id}: ${fix.detail}; then continue with ${continueCommand.join(" ")}`,
          }
        : {
            command: continueCommand,
            reason: `${stopped.phase} stopped the release: ${stopped.summary}; deal with it, then continue`,
          };
    } else if (request.until !== undefined && request.until !== names.at(-1)) {
      next = {
        command: continueCommand,
        reason: `stopped after ${request.until} as asked; continue the release`,
      };
    } else {
      next =
        writer.ledger.context.mode === "dry-run"
          ? {
              command: goLiveCommand(writer.ledger),
              reason:
                "the dry run is finished; start the live release (the dry-run ledger is moved aside, not deleted)",
            }
          : nextStep(writer.ledger, { config: project.config });
    }
    return { ...base, exitCode, phases: reports, stoppedAt: stopped?.phase ?? null, next };
  });
}
