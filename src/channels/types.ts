// The channel extension point: one module per place a release is delivered to (a registry, the GitHub
// release, the tap), listed once in index.ts, from which the config's `channels:` union is built.
import type { z } from "zod";
import type { BaseConfig } from "../config/base.js";

export interface ChannelEntry {
  kind: string;
}

/** What a channel serves for the target, as seen at one moment. */
export interface ChannelCheck {
  /** live: serves the version correctly; missing: not (yet) there; wrong: there but not right;
   * incomplete: could not be asked (HTTP error, timeout, unreadable answer). */
  status: "live" | "missing" | "wrong" | "incomplete";
  summary: string;
  /** The URL asked. */
  url?: string;
  /** The version the channel reports, when it reports one. */
  versionSeen?: string | null;
  details?: unknown;
}

export interface ChannelEnv {
  config: BaseConfig;
  repoRoot: string;
  /** The release tag, e.g. v1.2.3, and its version, 1.2.3. */
  tag: string;
  version: string;
  signal: AbortSignal;
}

export interface ChannelKind<S extends z.ZodType<ChannelEntry, unknown> = z.ZodType<ChannelEntry, unknown>> {
  kind: string;
  description: string;
  schema: S;
  /** A stable name for this entry in the ledger's `delivery` section, e.g. `npm:plasmite`. */
  id(entry: z.output<S>): string;
  check(entry: z.output<S>, env: ChannelEnv): Promise<ChannelCheck>;
}

/** Declares a channel with its schema's type kept, so the registry can build a precise config union. */
export function defineChannel<S extends z.ZodType<ChannelEntry, unknown>>(
  channel: ChannelKind<S>,
): ChannelKind<S> {
  return channel;
}
