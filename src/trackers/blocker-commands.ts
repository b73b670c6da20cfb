// The use-cases behind `shipgate blockers list|file|close`: the target's epic as the tracker reports it,
// filing one blocker by hand (idempotent), and closing one in the tracker and the ledger.
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadProject, type ProjectOptions } from "../context/project.js";
import { ExitCode, UsageError } from "../errors.js";
import { nowIso, withWriter } from "../evidence/ledger.js";
import { type NextStep, nextStep } from "../evidence/next-step.js";
import { loadTarget, loadTargetIn, type TargetFlags } from "../evidence/target.js";
import {
  type BlockerRequest,
  enrichFromRun,
  epicTasks,
  type FiledBlocker,
  fileBlocker,
  mayWrite,
} from "./blockers.js";
import { createTracker } from "./index.js";
import type { TrackerEpic, TrackerTask } from "./types.js";

// Concurrent `blockers file` runs for one target queue for the ledger lock instead of failing.
const LEDGER_WAIT_MS = 30_000;

export interface BlockerList {
  exitCode: number;
  tracker: string;
  epic: TrackerEpic | null;
  epicTitle: string;
  open: number;
  tasks: TrackerTask[];
  next: NextStep | null;
}

export async function listBlockers(options: ProjectOptions, flags: TargetFlags): Promise<BlockerList> {
  const { project, ledger } = await loadTarget(options, flags);
  const { epic, epicTitle, tasks, tracker } = await epicTasks(
    project.config,
    project.repoRoot,
    ledger.context,
  );
  const open = tasks.filter((t) => t.open);
  const target = ledger.context.releaseTarget;
  const [first] = open;
  return {
    exitCode: open.length > 0 ? ExitCode.blocked : ExitCode.pass,
    tracker: tracker.kind,
    epic,
    epicTitle,
    open: open.length,
    tasks,
    next: first
      ? {
          command: ["shipgate", "blockers", "close", first.id, "--release-target", target],
          reason: `${first.id} is open: fix what it describes, rerun its check, then close it`,
        }
      : nextStep(ledger, { config: project.config }),
  };
}

export interface FileFlags {
  check?: string | undefined;
  title?: string | undefined;
  summary?: string | undefined;
  runId?: string | undefined;
  runUrl?: string | undefined;
  failingCommand?: string | undefined;
  logSnippetFile?: string | undefined;
  dryRun?: boolean | undefined;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`missing required ${flag}`);
  return value;
}

export async function fileBlockerByHand(
  options: ProjectOptions,
  flags: TargetFlags,
  file: FileFlags,
): Promise<FiledBlocker & { next: NextStep | null }> {
  const request: BlockerRequest = {
    check: required(file.check, "--check"),
    title: required(file.title, "--title"),
    summary: required(file.summary, "--summary"),
    ...(file.runUrl ? { runUrl: file.runUrl } : {}),
    ...(file.failingCommand ? { failingCommand: file.failingCommand } : {}),
  };
  if (file.runId !== undefined) {
    if (!/^\d+$/.test(file.runId)) throw new UsageError(`--run-id "${file.runId}" is not a run number`);
    request.runId = file.runId;
  }
  const { project, paths, ledger } = await loadTarget(options, flags);
  if (file.logSnippetFile) {
    try {
      request.logSnippet = readFileSync(path.resolve(project.cwd, file.logSnippetFile), "utf8");
    } catch (err) {
      throw new UsageError(
        `cannot read --log-snippet-file ${file.logSnippetFile}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      );
    }
  }
  const enriched = await enrichFromRun(project.config, project.repoRoot, request);
  const base = {
    config: project.config,
    repoRoot: project.repoRoot,
    release: ledger.context,
    request: enriched,
  };
  const filed = file.dryRun
    ? await fileBlocker({ ...base, writer: null, dryRun: true })
    : await withWriter(paths, "shipgate blockers file", (writer) => fileBlocker({ ...base, writer }), {
        waitMs: LEDGER_WAIT_MS,
        config: project.config,
      });
  const target = ledger.context.releaseTarget;
  return {
    ...filed,
    next: {
      command: ["shipgate", "blockers", "list", "--release-target", target],
      reason: filed.dryRun ? "nothing was filed; see what is open" : "fix what it describes, then close it",
    },
  };
}

export interface Closed {
  id: string;
  tracker: string;
  closed: boolean;
  /** A dry run with a remote tracker: nothing was closed there. */
  wouldClose?: boolean;
  next: NextStep | null;
}

export async function closeBlocker(
  options: ProjectOptions,
  id: string,
  releaseTarget: string | undefined,
): Promise<Closed> {
  const project = await loadProject(options);
  const target = releaseTarget === undefined ? null : loadTargetIn(project, { releaseTarget });
  const tracker = await createTracker(project.config, project.repoRoot);
  if (target && !mayWrite(tracker, target.ledger.context)) {
    return {
      id,
      tracker: tracker.kind,
      closed: false,
      wouldClose: true,
      next: nextStep(target.ledger, { config: project.config }),
    };
  }
  await tracker.closeTask(id);
  if (!target) return { id, tracker: tracker.kind, closed: true, next: null };
  const ledger = await withWriter(
    target.paths,
    "shipgate blockers close",
    async (writer) =>
      writer.update("blocker-closed", { id, tracker: tracker.kind }, (l) => {
        for (const b of l.blockers) {
          if (b.id === id && b.tracker === tracker.kind) {
            b.state = "closed";
            b.resolvedAt = nowIso();
          }
        }
      }),
    { waitMs: LEDGER_WAIT_MS, config: project.config },
  );
  return { id, tracker: tracker.kind, closed: true, next: nextStep(ledger, { config: project.config }) };
}
