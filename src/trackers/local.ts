// Tracker `local`: an append-only JSONL log in the repository, needing nothing installed.
// Every operation holds a file lock while it reads and appends, so concurrent processes are safe.
import { appendFileSync, mkdirSync, readFileSync, truncateSync } from "node:fs";
import path from "node:path";
import * as z from "zod";
import { repoPath } from "../config/repo-path.js";
import { UsageError } from "../errors.js";
import { FileLock } from "../evidence/lock.js";
import { redactor } from "../evidence/redact.js";
import { commonTrackerFields } from "./common.js";
import { defineTracker, type Tracker, type TrackerEpic, type TrackerTask } from "./types.js";

type LogRecord =
  | { op: "epic"; at: string; id: string; title: string; body: string }
  | { op: "task"; at: string; id: string; epic: string; title: string; body: string }
  | { op: "close"; at: string; id: string }
  /** A writer killed mid-append left a partial last line; the next writer cut it off (readers skip it). */
  | { op: "repair"; at: string; droppedBytes: number; dropped: string };

interface State {
  epics: Map<string, TrackerEpic>;
  tasks: Map<string, TrackerTask & { epic: string }>;
}

const LOCK_WAIT_MS = 30_000;

export class LocalTracker implements Tracker {
  readonly kind = "local";
  readonly remote = false;

  constructor(readonly file: string) {}

  private read(): { state: State; count: number } {
    let text = "";
    try {
      text = readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    const state: State = { epics: new Map(), tasks: new Map() };
    // Readers take no lock: a last line without its newline is an append still in flight, not damage.
    const lines = text
      .split("\n")
      .slice(0, -1)
      .filter((l) => l.trim() !== "");
    lines.forEach((line, index) => {
      let rec: LogRecord;
      try {
        rec = JSON.parse(line) as LogRecord;
      } catch {
        throw new UsageError(
          `${this.file} line ${index + 1} is not valid JSON; refusing to file into a damaged log`,
        );
      }
      if (rec.op === "epic") state.epics.set(rec.id, { id: rec.id, title: rec.title });
      else if (rec.op === "task")
        state.tasks.set(rec.id, { id: rec.id, epic: rec.epic, title: rec.title, open: true, state: "open" });
      else if (rec.op === "close") {
        const task = state.tasks.get(rec.id);
        if (task) Object.assign(task, { open: false, state: "closed" });
      }
    });
    return { state, count: lines.length };
  }

  private async locked<T>(fn: () => T): Promise<T> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const lock = await FileLock.acquireWaiting(
      `${this.file}.lock`,
      "shipgate local tracker",
      LOCK_WAIT_MS,
      "the tracker log",
    );
    try {
      this.repair();
      return fn();
    } finally {
      lock.release();
    }
  }

  /**
   * Under the lock no append is in flight, so a last line without its newline is what a killed writer
   * left: it is cut off (else the next append would glue onto it and damage the log) and the cut is
   * recorded in the log itself.
   */
  private repair(): void {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
    const keep = bytes.lastIndexOf(0x0a) + 1;
    truncateSync(this.file, keep);
    const dropped = bytes.subarray(keep).toString("utf8");
    this.append({
      op: "repair",
      at: new Date().toISOString(),
      droppedBytes: bytes.length - keep,
      dropped: redactor().redact(dropped.length > 200 ? `${dropped.slice(0, 200)}…` : dropped),
    });
  }

  private append(record: LogRecord): void {
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }

  async findEpic(title: string): Promise<TrackerEpic | null> {
    return [...this.read().state.epics.values()].find((e) => e.title === title) ?? null;
  }

  async createEpic(title: string, body: string): Promise<TrackerEpic> {
    return this.locked(() => {
      const { state, count } = this.read();
      // Checked again under the lock: another process may have created it meanwhile.
      const existing = [...state.epics.values()].find((e) => e.title === title);
      if (existing) return existing;
      const epic = { id: `E${count + 1}`, title };
      this.append({ op: "epic", at: new Date().toISOString(), ...epic, body });
      return epic;
    });
  }

  async listTasks(epicId: string): Promise<TrackerTask[]> {
    return [...this.read().state.tasks.values()]
      .filter((t) => t.epic === epicId)
      .map(({ epic: _epic, ...task }) => task);
  }

  async createTask(epicId: string, title: string, body: string): Promise<TrackerTask> {
    return this.locked(() => {
      const { state, count } = this.read();
      if (!state.epics.has(epicId)) throw new UsageError(`no epic ${epicId} in ${this.file}`);
      const open = [...state.tasks.values()].find((t) => t.epic === epicId && t.title === title && t.open);
      if (open) return { id: open.id, title, open: true, state: "open" };
      const id = `T${count + 1}`;
      this.append({ op: "task", at: new Date().toISOString(), id, epic: epicId, title, body });
      return { id, title, open: true, state: "open" };
    });
  }

  async closeTask(id: string): Promise<void> {
    await this.locked(() => {
      const task = this.read().state.tasks.get(id);
      if (!task) throw new UsageError(`no blocker ${id} in ${this.file}`);
      if (task.open) this.append({ op: "close", at: new Date().toISOString(), id });
    });
  }
}

export const localTracker = defineTracker({
  kind: "local",
  schema: z.strictObject({
    kind: z.literal("local"),
    path: repoPath("file").optional().meta({ description: "default: <evidenceDir>/blockers.jsonl" }),
    ...commonTrackerFields,
  }),
  // Beside the ledgers by default, so it is ignored wherever they are.
  create: async (entry, { config, repoRoot }) =>
    new LocalTracker(path.resolve(repoRoot, entry.path ?? path.join(config.evidenceDir, "blockers.jsonl"))),
});
