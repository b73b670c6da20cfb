// Filing, resolving and checking blockers: shared by `shipgate blockers`, the gate engine and the release
// steps. One rule for all of them: a dry run never writes to a remote tracker; the ledger records what
// would have been filed instead.
import type { ShipgateConfig } from "../config/schema.js";
import type { ReleaseContext } from "../context/inputs.js";
import { type LedgerWriter, nowIso } from "../evidence/ledger.js";
import { redactor } from "../evidence/redact.js";
import type { GateRecord } from "../evidence/schema.js";
import { githubFor } from "../github/client.js";
import { runSummary } from "../github/runs.js";
import type { BlockerRequest } from "../types.js";
import { createTracker } from "./index.js";
import { render, templatesOf } from "./templates.js";
import type { Tracker, TrackerTask } from "./types.js";

// The request type lives in the leaf module so release steps can name it without importing this one.
export type { BlockerRequest } from "../types.js";

export interface FiledBlocker {
  id: string;
  /** Set when a dry run left a remote tracker untouched: what would have been filed is in the ledger. */
  wouldFile?: boolean;
  epicId: string;
  title: string;
  created: boolean;
  url?: string;
  dryRun: boolean;
  epicTitle: string;
  epicBody: string;
  body: string;
}

export const SNIPPET_LINES = 20;
export const SNIPPET_CHARS = 2000;

/** The first lines of a log, redacted, then capped in length (redacting first: a cut must never leave
 * half a token that no longer looks like one). */
export function capSnippet(text: string, lines = SNIPPET_LINES, chars = SNIPPET_CHARS): string {
  const first = redactor().redact(text).split("\n").slice(0, lines).join("\n");
  return (first.length > chars ? `${first.slice(0, chars)}…` : first).trimEnd();
}

/** Adds the run's URL and failed job names from GitHub when a run id is given. */
export async function enrichFromRun(
  config: ShipgateConfig,
  repoRoot: string,
  request: BlockerRequest,
): Promise<BlockerRequest> {
  if (!request.runId) return request;
  // Runs live in github.repo; a GitHub tracker's repo (or the origin remote) is the usual fallback.
  const trackerRepo = config.tracker.kind === "github" ? config.tracker.repo : undefined;
  const run = await runSummary(
    await githubFor(config.github, repoRoot, { repo: config.github.repo ?? trackerRepo }),
    request.runId,
  );
  return { ...request, runUrl: request.runUrl ?? run.url, failedJobs: request.failedJobs ?? run.failedJobs };
}

function evidenceSection(request: BlockerRequest): string {
  const lines: string[] = [];
  if (request.runId || request.runUrl)
    lines.push(`- Workflow run: ${[request.runId, request.runUrl].filter(Boolean).join(" ")}`);
  if (request.failedJobs?.length) lines.push(`- Failed jobs: ${request.failedJobs.join(", ")}`);
  if (request.failingCommand) lines.push(`- Failing command: \`${request.failingCommand}\``);
  if (request.logSnippet?.trim())
    lines.push("- Log excerpt:", "", "```text", capSnippet(request.logSnippet), "```");
  return lines.length > 0 ? `### Evidence\n${lines.join("\n")}` : "";
}

export function composeBlocker(config: ShipgateConfig, release: ReleaseContext, request: BlockerRequest) {
  const t = templatesOf(config.tracker);
  const values = {
    target: release.releaseTarget,
    agent: release.agent,
    mode: release.mode,
    check: request.check,
    title: request.title,
    summary: request.summary,
    rerun:
      request.rerunCommand ??
      `shipgate gates --release-target ${release.releaseTarget} --only ${request.check}`,
    evidence: evidenceSection(request),
  };
  const scrub = redactor();
  return {
    epicTitle: scrub.redact(render(t.epicTitle, values)),
    epicBody: scrub.redact(render(t.epicBody, values)),
    taskTitle: scrub.redact(render(t.taskTitle, values)),
    taskBody: scrub.redact(render(t.taskBody, values).replace(/\n{3,}/g, "\n\n")),
  };
}

/** A dry run may write to the local tracker (it stays on this machine), never to a remote one. */
export function mayWrite(tracker: Tracker, release: ReleaseContext): boolean {
  return !(release.mode === "dry-run" && tracker.remote);
}

export interface FileOptions {
  config: ShipgateConfig;
  repoRoot: string;
  writer: LedgerWriter | null;
  release: ReleaseContext;
  request: BlockerRequest;
  dryRun?: boolean;
  tracker?: Tracker;
}

/**
 * Files the task for `request` under the target's epic, or finds the open one already filed
 * (idempotent). The ledger is written only after the tracker answered, so a failure leaves it as it was.
 */
export async function fileBlocker(options: FileOptions): Promise<FiledBlocker> {
  const { config, release } = options;
  const text = composeBlocker(config, release, options.request);
  const base = {
    epicTitle: text.epicTitle,
    epicBody: text.epicBody,
    title: text.taskTitle,
    body: text.taskBody,
  };
  if (options.dryRun) return { ...base, id: "(dry-run)", epicId: "(dry-run)", created: false, dryRun: true };

  const tracker = options.tracker ?? (await createTracker(config, options.repoRoot));
  if (!mayWrite(tracker, release)) {
    options.writer?.update("blocker-would-file", {
      id: options.request.check,
      tracker: tracker.kind,
      epic: text.epicTitle,
      title: text.taskTitle,
    });
    return { ...base, id: "(dry-run)", epicId: "(dry-run)", created: false, dryRun: true, wouldFile: true };
  }
  const epic =
    (await tracker.findEpic(text.epicTitle)) ?? (await tracker.createEpic(text.epicTitle, text.epicBody));
  const existing = (await tracker.listTasks(epic.id)).find((t) => t.open && t.title === text.taskTitle);
  const task: TrackerTask = existing ?? (await tracker.createTask(epic.id, text.taskTitle, text.taskBody));

  options.writer?.update(
    existing ? "blocker-found" : "blocker-filed",
    { id: task.id, check: options.request.check, epicId: epic.id, tracker: tracker.kind },
    (ledger) => {
      ledger.checkpoint.blockerEpicId = epic.id;
      // A blocker about a workflow run is the newest run this release knows of.
      if (options.request.runId) {
        ledger.checkpoint.lastRunId = options.request.runId;
        ledger.checkpoint.lastRunUrl = options.request.runUrl ?? null;
      }
      const entry = ledger.blockers.find((b) => b.id === task.id && b.tracker === tracker.kind);
      if (entry) {
        entry.state = "open";
        delete entry.resolvedAt;
      } else {
        ledger.blockers.push({
          id: task.id,
          check: options.request.check,
          title: text.taskTitle,
          state: "open",
          tracker: tracker.kind,
          filedAt: nowIso(),
          ...(task.url ? { url: task.url } : {}),
        });
      }
    },
  );
  return {
    ...base,
    id: task.id,
    epicId: epic.id,
    created: !existing,
    dryRun: false,
    ...(task.url ? { url: task.url } : {}),
  };
}

/** A check passed: its open blockers become resolved in the ledger, and closed in the tracker with autoClose. */
export async function resolveBlockers(options: {
  config: ShipgateConfig;
  repoRoot: string;
  writer: LedgerWriter;
  check: string;
  tracker?: Tracker;
}): Promise<string[]> {
  const open = options.writer.ledger.blockers.filter((b) => b.check === options.check && b.state === "open");
  if (open.length === 0) return [];
  let close = options.config.tracker.autoClose;
  if (close) {
    const tracker = options.tracker ?? (await createTracker(options.config, options.repoRoot));
    if (mayWrite(tracker, options.writer.ledger.context)) {
      for (const blocker of open) await tracker.closeTask(blocker.id);
    } else close = false;
  }
  const ids = open.map((b) => b.id);
  options.writer.update(
    close ? "blockers-closed" : "blockers-resolved",
    { check: options.check, ids },
    (ledger) => {
      for (const b of ledger.blockers) {
        if (ids.includes(b.id) && b.check === options.check) {
          b.state = close ? "closed" : "resolved";
          b.resolvedAt = nowIso();
        }
      }
    },
  );
  return ids;
}

/** The target's epic's tasks, asked of the tracker (not the ledger); null when no epic exists. */
export async function epicTasks(
  config: ShipgateConfig,
  repoRoot: string,
  release: ReleaseContext,
  tracker?: Tracker,
) {
  const t = tracker ?? (await createTracker(config, repoRoot));
  const title = composeBlocker(config, release, { check: "", title: "", summary: "" }).epicTitle;
  const epic = await t.findEpic(title);
  return { tracker: t, epicTitle: title, epic, tasks: epic ? await t.listTasks(epic.id) : [] };
}

/** The engine's hooks: file a blocker for each blocking gate, resolve a gate's blockers when it passes. */
export function gateBlockerHooks(
  config: ShipgateConfig,
  repoRoot: string,
  writer: LedgerWriter,
): {
  blocked(gate: { id: string; name?: string | undefined }, record: GateRecord): Promise<string | undefined>;
  passed(gate: { id: string }): Promise<void>;
} {
  let tracker: Promise<Tracker> | undefined;
  const get = () => {
    tracker ??= createTracker(config, repoRoot);
    return tracker;
  };
  return {
    async blocked(gate, record) {
      const failing = record.commands.find((c) => c.exitCode !== 0);
      const request: BlockerRequest = {
        check: gate.id,
        title: gate.name ?? gate.id,
        summary: record.summary,
        ...(failing ? { failingCommand: failing.command } : {}),
        ...(record.excerpt
          ? { logSnippet: record.excerpt.split("\n").slice(-SNIPPET_LINES).join("\n") }
          : {}),
      };
      const filed = await fileBlocker({
        config,
        repoRoot,
        writer,
        release: writer.ledger.context,
        request,
        tracker: await get(),
      });
      return filed.dryRun ? undefined : filed.id;
    },
    async passed(gate) {
      if (!writer.ledger.blockers.some((b) => b.check === gate.id && b.state === "open")) return;
      await resolveBlockers({ config, repoRoot, writer, check: gate.id, tracker: await get() });
    },
  };
}
