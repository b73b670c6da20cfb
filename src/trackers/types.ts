// The tracker extension point: where blockers are filed. One adapter per file (its config schema beside
// it), listed once in index.ts, from which the config's `tracker:` union is built.
import type { z } from "zod";
import type { BaseConfig } from "../config/base.js";
import type { TemplateOverrides } from "./common.js";

export interface TrackerTask {
  id: string;
  title: string;
  open: boolean;
  /** The tracker's own state word (todo, doing, open, closed, done, …). */
  state: string;
  url?: string;
}

export interface TrackerEpic {
  id: string;
  title: string;
  url?: string;
}

export interface Tracker {
  readonly kind: string;
  /** True when filing changes something outside this machine (so a dry run must not file). */
  readonly remote: boolean;
  findEpic(title: string): Promise<TrackerEpic | null>;
  createEpic(title: string, body: string): Promise<TrackerEpic>;
  listTasks(epicId: string): Promise<TrackerTask[]>;
  createTask(epicId: string, title: string, body: string): Promise<TrackerTask>;
  closeTask(id: string): Promise<void>;
}

/** The fields every `tracker:` entry has, whatever its kind. */
export interface TrackerEntry {
  kind: string;
  autoClose: boolean;
  templates: TemplateOverrides;
}

export interface TrackerAdapter<
  S extends z.ZodType<TrackerEntry, unknown> = z.ZodType<TrackerEntry, unknown>,
> {
  kind: string;
  /** Strict schema of this kind's `tracker:` entry (the common fields included). */
  schema: S;
  create(entry: z.output<S>, env: { config: BaseConfig; repoRoot: string }): Promise<Tracker>;
}

/** Declares an adapter with its schema's type kept, so the registry can build a precise config union. */
export function defineTracker<S extends z.ZodType<TrackerEntry, unknown>>(
  adapter: TrackerAdapter<S>,
): TrackerAdapter<S> {
  return adapter;
}
