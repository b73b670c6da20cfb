// The tracker extension point: where blockers are filed. One adapter per file, listed in index.ts.

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
