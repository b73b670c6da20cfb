// Release step "deliver": proves that every configured channel serves the release. Read-only, so it
// runs in dry-run mode too and never writes to a registry. Channels are checked concurrently and asked
// again with backoff until the propagation window ends; each outcome lands in the ledger's `delivery`
// section. Some channels live while others are missing or wrong is a partial-publish incident: one
// blocker (idempotent) naming both sides and the recovery, which is never a re-tag.
import * as z from "zod";
import { CHANNEL_STATUSES, type ChannelStatus, type DeliveryEntry } from "../../channels/outcome.js";
import type { ChannelEntry, ChannelKind } from "../../channels/types.js";
import type { ChannelJob } from "../../channels/verify-all.js";
import type { ShipgateConfig } from "../../config/schema.js";
import { IncompleteError, UsageError } from "../../errors.js";
import type { BlockerRequest } from "../../types.js";
import { defineStep, type StepContext, type StepProblem } from "../step.js";

export const DELIVERY_DEFAULTS = {
  waitMs: 10 * 60_000,
  pollMs: 10_000,
  maxPollMs: 60_000,
  requestTimeoutMs: 30_000,
};
/** The channel kinds a publish run publishes, each with the name `shipgate publish --skip` takes for it. */
export const PUBLISHED_KINDS = { crates: "crates-io", npm: "npm", pypi: "pypi" } as const;

export const deliverRecordSchema = z.strictObject({
  tag: z.string(),
  version: z.string(),
  dryRun: z.boolean(),
  checkedAt: z.string(),
  waitMs: z.number().min(0),
  /** Every configured channel was checked (not a --channels subset). */
  complete: z.boolean(),
  statuses: z.record(z.string(), z.enum(CHANNEL_STATUSES)),
  partial: z.boolean(),
  blockerId: z.string().nullable(),
  /** The recovery command of a partial publish (argv). */
  recovery: z.array(z.string()).nullable(),
  verifiedAt: z.string().optional(),
});
export type DeliverRecord = z.infer<typeof deliverRecordSchema>;

export interface DeliverInput {
  /** Channel ids or kinds; all configured channels when absent. */
  channels?: string[] | undefined;
  waitMs?: number | undefined;
  pollMs?: number | undefined;
  maxPollMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
}

export interface DeliverFacts {
  tag: string;
  version: string;
  channels: string[];
  complete: boolean;
  waitMs: number;
  pollMs: number;
  maxPollMs: number;
  requestTimeoutMs: number;
}

const now = () => new Date().toISOString();
// Kept free of semver and context/inputs: the ledger schema loads this module for every command.
const versionOf = (tag: string) => tag.replace(/^v/, "");

/** v1.2.4 for 1.2.3; prose when the version is not plain X.Y.Z. */
function nextPatch(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? `v${m[1]}.${m[2]}.${Number(m[3]) + 1}` : "the next patch version";
}

async function jobsFor(config: ShipgateConfig): Promise<ChannelJob[]> {
  const { channelKinds } = await import("../../channels/index.js");
  return config.channels.map((entry) => {
    const channel = (channelKinds as readonly ChannelKind[]).find((c) => c.kind === entry.kind)!;
    return { id: channel.id(entry as ChannelEntry), channel, entry: entry as ChannelEntry };
  });
}

function select(all: ChannelJob[], names: string[] | undefined): ChannelJob[] {
  if (!names) return all;
  const unknown = names.filter((n) => !all.some((j) => j.id === n || j.channel.kind === n));
  if (unknown.length > 0)
    throw new UsageError(
      `--channels names ${unknown.join(", ")}, which the config does not have`,
      `configured: ${all.map((j) => j.id).join(", ")}`,
    );
  return all.filter((j) => names.includes(j.id) || names.includes(j.channel.kind));
}

const idsWith = (statuses: Record<string, ChannelStatus>, wanted: ChannelStatus[]) =>
  Object.entries(statuses)
    .filter(([, s]) => wanted.includes(s))
    .map(([id]) => id);

function runField(record: unknown, field: string): string | undefined {
  const value = (record as Record<string, unknown> | undefined)?.[field];
  return typeof value === "string" && value !== ""
    ? value
    : typeof value === "number"
      ? String(value)
      : undefined;
}

/** A publish-only rerun of what is missing: the live channels skipped, the build run reused. */
export function recoveryCommand(ctx: StepContext<DeliverRecord>, kindsLive: string[]): string[] {
  const target = ctx.release.releaseTarget;
  const buildRunId =
    runField(ctx.records.build, "runId") ?? runField(ctx.records.publish, "buildRunId") ?? "<build-run-id>";
  const skip = Object.entries(PUBLISHED_KINDS)
    .filter(([kind]) => kindsLive.includes(kind))
    .map(([, name]) => name);
  return [
    "shipgate",
    "publish",
    "--release-target",
    target,
    "--build-run-id",
    buildRunId,
    ...(skip.length > 0 ? ["--skip", skip.join(",")] : []),
    "--allow-partial-release",
  ];
}

function partialBlocker(
  ctx: StepContext<DeliverRecord>,
  entries: Map<string, DeliveryEntry>,
  waitMs: number,
  recovery: string[],
): BlockerRequest {
  const target = ctx.release.releaseTarget;
  const list = (wanted: ChannelStatus[]) =>
    [...entries]
      .filter(([, e]) => wanted.includes(e.status))
      .map(([, e]) => `- ${e.summary}`)
      .join("\n");
  const live = list(["live"]);
  const notLive = list(["missing", "wrong"]);
  const unknown = list(["incomplete"]);
  const publishRun = runField(ctx.records.publish, "runId");
  const publishUrl = runField(ctx.records.publish, "url");
  const version = versionOf(target);
  const patch = nextPatch(version);
  const summary = [
    `After a propagation window of ${Math.round(waitMs / 1000)}s, ${target} is live on some channels and missing or wrong on others.`,
    "",
    "Live:",
    live,
    "",
    "Missing or wrong:",
    notLive,
    ...(unknown ? ["", "Could not be asked:", unknown] : []),
    "",
    `Publish run: ${publishRun ? `${publishRun}${publishUrl ? ` ${publishUrl}` : ""}` : "not recorded in the ledger"}`,
    "",
    `Recovery (never re-tag ${target}; the tag and the live channels stay as they are):`,
    `1. Rerun only the publishing of what is missing, reusing the build, with the live channels skipped: \`${recovery.join(" ")}\``,
    `2. Or ship a follow-up patch release (${patch}) that publishes every channel.`,
  ].join("\n");
  return {
    check: "deliver",
    // Stable across reruns, so filing again finds the open task instead of adding one.
    title: `partial publish: ${target} is live on some channels only`,
    summary,
    rerunCommand: `shipgate deliver --release-target ${target}`,
    ...(publishRun ? { runId: publishRun } : {}),
    ...(publishUrl ? { runUrl: publishUrl } : {}),
  };
}

export const deliverStep = defineStep<DeliverInput, DeliverFacts, DeliverRecord, "deliver">({
  name: "deliver",
  phase: "delivered",
  record: deliverRecordSchema,
  configured: (config) => config.channels.length > 0,
  describe: (r) => {
    const ids = Object.keys(r.statuses);
    const live = idsWith(r.statuses, ["live"]);
    const state = live.length === ids.length ? "live" : r.partial ? "partial publish" : "not live";
    const others = ids.filter((id) => !live.includes(id)).map((id) => `${id} ${r.statuses[id]}`);
    return {
      state: `${state}${r.dryRun ? " (dry-run)" : ""}`,
      detail: `${r.tag}: ${live.length}/${ids.length} live${others.length > 0 ? `; ${others.join(", ")}` : ""}${r.blockerId ? `; blocker ${r.blockerId}` : ""}`,
    };
  },
  succeeded: (r) =>
    !r.dryRun &&
    r.complete &&
    Object.keys(r.statuses).length > 0 &&
    Object.values(r.statuses).every((s) => s === "live"),

  async plan(ctx, input) {
    const all = await jobsFor(ctx.config);
    if (all.length === 0)
      throw new UsageError(
        "the config has no channels to check",
        "add channels: (github-release, npm, crates, pypi, homebrew, go) to shipgate.yaml",
      );
    const jobs = select(all, input.channels);
    const d = ctx.config.delivery;
    const tag = ctx.release.releaseTarget;
    const facts: DeliverFacts = {
      tag,
      version: versionOf(tag),
      channels: jobs.map((j) => j.id),
      complete: jobs.length === all.length,
      waitMs: input.waitMs ?? d?.wait ?? DELIVERY_DEFAULTS.waitMs,
      pollMs: input.pollMs ?? d?.poll ?? DELIVERY_DEFAULTS.pollMs,
      maxPollMs: input.maxPollMs ?? d?.maxPoll ?? DELIVERY_DEFAULTS.maxPollMs,
      requestTimeoutMs: input.requestTimeoutMs ?? d?.requestTimeout ?? DELIVERY_DEFAULTS.requestTimeoutMs,
    };
    return {
      problems: [],
      actions: jobs.map((j) => ({
        id: j.id,
        todo: `check that ${j.id} serves ${facts.version}`,
        done: `checked ${j.id}`,
      })),
      facts,
    };
  },

  // Asking registries changes nothing anywhere: a dry run checks for real.
  appliesInDryRun: () => true,

  planned: (plan) => ({
    tag: plan.facts.tag,
    version: plan.facts.version,
    dryRun: true,
    checkedAt: now(),
    waitMs: plan.facts.waitMs,
    complete: plan.facts.complete,
    statuses: {},
    partial: false,
    blockerId: null,
    recovery: null,
  }),

  async apply(ctx, plan, input) {
    const { facts } = plan;
    const jobs = select(await jobsFor(ctx.config), input.channels);
    // Loaded when checks run: the ledger schema loads this module for every command.
    const { brief, checkChannels } = await import("../../channels/verify-all.js");
    ctx.progress(
      `checking ${jobs.length} channel${jobs.length === 1 ? "" : "s"} for ${facts.tag} (window ${Math.round(facts.waitMs / 1000)}s)`,
    );
    const entries = await checkChannels(
      jobs,
      {
        config: ctx.config,
        repoRoot: ctx.repoRoot,
        tag: facts.tag,
        version: facts.version,
        dryRun: ctx.dryRun,
        waitMs: facts.waitMs,
        pollMs: facts.pollMs,
        maxPollMs: facts.maxPollMs,
        requestTimeoutMs: facts.requestTimeoutMs,
        logsDir: ctx.paths.logs,
        signal: ctx.signal,
        progress: ctx.progress,
      },
      (id, entry) => {
        ctx.recordDelivery(id, entry);
        ctx.progress(brief(`${entry.status}: ${entry.summary}`));
      },
    );
    const statuses = Object.fromEntries([...entries].map(([id, e]) => [id, e.status]));
    const live = idsWith(statuses, ["live"]);
    const notLive = idsWith(statuses, ["missing", "wrong"]);
    const partial = live.length > 0 && notLive.length > 0;
    let blockerId: string | null = null;
    let recovery: string[] | null = null;
    if (partial) {
      const kindsLive = jobs.filter((j) => live.includes(j.id)).map((j) => j.channel.kind);
      recovery = recoveryCommand(ctx, kindsLive);
      const filed = await ctx.fileBlocker(partialBlocker(ctx, entries, facts.waitMs, recovery));
      blockerId = filed.dryRun ? null : filed.id;
    }
    return {
      record: {
        tag: facts.tag,
        version: facts.version,
        dryRun: ctx.dryRun,
        checkedAt: now(),
        waitMs: facts.waitMs,
        complete: facts.complete,
        statuses,
        partial,
        blockerId,
        recovery,
      },
    };
  },

  /** Delivered before: every recorded channel is asked once more (no window); any not live refuses. */
  async verify(ctx, record, input) {
    const jobs = select(await jobsFor(ctx.config), input.channels).filter((j) => j.id in record.statuses);
    const { checkChannels } = await import("../../channels/verify-all.js");
    const d = ctx.config.delivery;
    const entries = await checkChannels(
      jobs,
      {
        config: ctx.config,
        repoRoot: ctx.repoRoot,
        tag: record.tag,
        version: record.version,
        dryRun: ctx.dryRun,
        waitMs: 0,
        pollMs: 0,
        maxPollMs: 0,
        requestTimeoutMs: input.requestTimeoutMs ?? d?.requestTimeout ?? DELIVERY_DEFAULTS.requestTimeoutMs,
        logsDir: ctx.paths.logs,
        signal: ctx.signal,
      },
      (id, entry) => ctx.recordDelivery(id, entry),
    );
    const problems: StepProblem[] = [];
    const unknown: string[] = [];
    for (const [id, entry] of entries) {
      if (entry.status === "incomplete") unknown.push(entry.summary);
      else if (entry.status !== "live") problems.push({ kind: "channel", id, detail: entry.summary });
    }
    if (problems.length === 0 && unknown.length > 0)
      throw new IncompleteError(`delivered before, but now a channel cannot be asked: ${unknown.join("; ")}`);
    return problems;
  },
});
