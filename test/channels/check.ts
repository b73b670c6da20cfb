// Test helper: runs the configured channels' checks directly (no ledger, no CLI) with fast polling.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findChannel } from "../../src/channels/index.js";
import type { DeliveryEntry } from "../../src/channels/outcome.js";
import type { ChannelEntry } from "../../src/channels/types.js";
import { checkChannels } from "../../src/channels/verify-all.js";
import { configSchema } from "../../src/config/schema.js";

export interface CheckOptions {
  repoRoot?: string;
  version?: string;
  waitMs?: number;
  requestTimeoutMs?: number;
}

/** Every configured channel's final observation for `version` (default 0.3.0), by channel id. */
export async function checkConfigured(
  rawConfig: Record<string, unknown>,
  options: CheckOptions = {},
): Promise<Map<string, DeliveryEntry>> {
  const config = configSchema.parse(rawConfig);
  const jobs = config.channels.map((entry) => {
    const channel = findChannel(entry.kind)!;
    return { id: channel.id(entry as ChannelEntry), channel, entry: entry as ChannelEntry };
  });
  const version = options.version ?? "0.3.0";
  return checkChannels(jobs, {
    config,
    repoRoot: options.repoRoot ?? process.cwd(),
    tag: `v${version}`,
    version,
    dryRun: false,
    waitMs: options.waitMs ?? 0,
    pollMs: 20,
    maxPollMs: 40,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    logsDir: mkdtempSync(path.join(os.tmpdir(), "shipgate-channel-logs-")),
  });
}
