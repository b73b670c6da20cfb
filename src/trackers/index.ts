// The one list of trackers, chosen by `tracker.kind`. Adding a tracker = one adapter file + one line
// here: the config's `tracker:` union and the known-kind list are derived from this list.
import * as z from "zod";
import type { BaseConfig } from "../config/base.js";
import { ergoTracker } from "./ergo.js";
import { githubTracker } from "./github.js";
import { localTracker } from "./local.js";
import type { Tracker, TrackerAdapter } from "./types.js";

export const trackerAdapters = [localTracker, ergoTracker, githubTracker] as const;

type SchemaOf<T> = T extends TrackerAdapter<infer S> ? S : never;
// Generic so that TypeScript maps the tuple element by element (the union keeps every kind's type).
type SchemasOf<T extends readonly unknown[]> = { -readonly [I in keyof T]: SchemaOf<T[I]> };

export const trackerConfigSchema = z
  .discriminatedUnion(
    "kind",
    trackerAdapters.map((t) => t.schema) as unknown as SchemasOf<typeof trackerAdapters>,
  )
  .default({ kind: "local", autoClose: false, templates: {} });
export type TrackerConfig = z.output<typeof trackerConfigSchema>;

export const trackerKindNames: string[] = trackerAdapters.map((t) => t.kind);

/** The tracker the config names, for the repository at `repoRoot`. */
export async function createTracker(
  config: BaseConfig & { tracker: TrackerConfig },
  repoRoot: string,
): Promise<Tracker> {
  const entry = config.tracker;
  const adapter = (trackerAdapters as readonly TrackerAdapter[]).find((t) => t.kind === entry.kind);
  if (!adapter) throw new Error(`unknown tracker kind ${entry.kind}`);
  return adapter.create(entry, { config, repoRoot });
}
