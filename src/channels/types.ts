// The channel extension point: one module per place a release is delivered to (a registry, the GitHub
// release, the tap), listed once in index.ts, from which the config's `channels:` union is built.
import * as z from "zod";
import type { BaseConfig } from "../config/base.js";
import { durationSchema } from "../config/duration.js";
import type { GitHubTarget } from "../github/client.js";
import type { ChannelStatus } from "./outcome.js";

/** The fields every `channels:` entry has, whatever its kind. */
export interface ChannelEntry {
  kind: string;
  installSmoke?: string | undefined;
  smokeTimeout?: number | undefined;
}

export const commonChannelFields = {
  installSmoke: z.string().min(1).optional().meta({
    description:
      "command run once the channel is live ({version}, {tag}), in a fresh temp directory with a clean HOME; failure or timeout fails the channel",
  }),
  smokeTimeout: durationSchema.optional().meta({ description: "limit for installSmoke; default 10m" }),
};

/** What a channel serves for the target, as seen at one moment. */
export interface ChannelCheck {
  /** live: serves the version correctly; missing: not (yet) there; wrong: there but not right;
   * incomplete: could not be asked (HTTP error, timeout, unreadable answer). */
  status: ChannelStatus;
  summary: string;
  /** The URL asked. */
  url?: string;
  /** The version the channel reports, when it reports one. */
  versionSeen?: string | null;
  /** Environment for the install smoke, e.g. the registry that was checked. */
  smokeEnv?: Record<string, string>;
  details?: unknown;
}

/** A JSON answer: found (2xx, parsed), or absent (one of the statuses that mean "not there"). */
export type JsonAnswer<T> =
  | { found: true; status: number; url: string; data: T }
  | { found: false; status: number; url: string };

export interface ChannelHttp {
  /** GETs JSON and parses it with `schema`; HTTP errors, timeouts, non-JSON and wrong shapes throw
   * (incomplete), the `absent` statuses (default 404) are answered as not found. */
  json<T>(
    url: string,
    schema: z.ZodType<T>,
    options?: { absent?: number[]; headers?: Record<string, string> },
  ): Promise<JsonAnswer<T>>;
}

export interface ChannelEnv {
  config: BaseConfig;
  repoRoot: string;
  /** The release tag, e.g. v1.2.3, and its version, 1.2.3. */
  tag: string;
  version: string;
  /** Aborted when the propagation window ends (or the run is interrupted). */
  signal: AbortSignal;
  http: ChannelHttp;
  /** A GitHub client for github.repo, or for another repository (the tap). */
  github(repo?: string): Promise<GitHubTarget>;
  /** A private temporary directory for downloads, removed after the run. */
  scratchDir: string;
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
