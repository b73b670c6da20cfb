// The evidence ledger: validated reads without a lock, and locked, atomic, event-appending writes.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
} from "node:fs";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import type { ShipgateConfig } from "../config/schema.js";
import { UsageError } from "../errors.js";
import { FileLock, lockIsLive } from "./lock.js";
import { renderMarkdown } from "./markdown.js";
import type { LedgerPaths } from "./paths.js";
import { describeLeftovers, killLeftoverProcesses, type LeftoverVerdict } from "./processes.js";
import { redactor } from "./redact.js";
import {
  type Checkpoint,
  eventSchema,
  type GateStatus,
  type Ledger,
  ledgerSchema,
  SCHEMA_VERSION,
} from "./schema.js";

export function nowIso(): string {
  return new Date().toISOString();
}

export function ledgerExists(paths: LedgerPaths): boolean {
  return existsSync(paths.json);
}

/**
 * The last ledger this process read and validated, by the identity of the file it came from: a command
 * reads the ledger before it takes the lock and again under it, and the second read of an unchanged
 * file need not parse it again. Every write renames a new file into place (a new inode), and an edit
 * in place changes the size or the modification time, so a changed file is always read afresh.
 */
let lastRead: { file: string; identity: string; ledger: Ledger } | undefined;

function fileIdentity(file: string): string | undefined {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/** Reads and validates the last complete ledger. Takes no lock and never blocks. */
export function readLedger(paths: LedgerPaths): Ledger {
  const identity = fileIdentity(paths.json);
  // Copies in and out: what a caller does with its ledger can never reach the next caller's.
  if (identity && lastRead?.file === paths.json && lastRead.identity === identity)
    return structuredClone(lastRead.ledger);
  const ledger = parseLedgerFile(paths);
  if (identity && identity === fileIdentity(paths.json))
    lastRead = { file: paths.json, identity, ledger: structuredClone(ledger) };
  return ledger;
}

function parseLedgerFile(paths: LedgerPaths): Ledger {
  let text: string;
  try {
    text = readFileSync(paths.json, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new UsageError(
        `no ledger at ${paths.json}`,
        "run `shipgate init` with all four release inputs first",
      );
    }
    throw new UsageError(`cannot read ${paths.json}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw corrupted(paths, `not valid JSON (${(err as Error).message})`);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== SCHEMA_VERSION) {
    throw corrupted(paths, `schemaVersion ${JSON.stringify(version)} is not ${SCHEMA_VERSION}`);
  }
  const parsed = ledgerSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    let at = issue?.path.join(".") || "(top level)";
    if (issue?.code === "unrecognized_keys")
      at = `${at === "(top level)" ? "" : `${at}.`}${issue.keys.join(", ")}`;
    throw corrupted(paths, `${at}: ${issue?.message}`);
  }
  // A ledger is bound to its place: the target it names must be the directory it lives in, so a copied
  // or edited file can never steer a step (a tag, a publish) at another release.
  const dirTarget = path.basename(paths.dir);
  if (parsed.data.context.releaseTarget !== dirTarget) {
    throw corrupted(
      paths,
      `context.releaseTarget is ${JSON.stringify(parsed.data.context.releaseTarget)} but the ledger lives in ${dirTarget}/`,
    );
  }
  return parsed.data;
}

function corrupted(paths: LedgerPaths, why: string): UsageError {
  return new UsageError(
    `the ledger ${paths.json} is invalid: ${why}; refusing to use or rewrite it`,
    "restore it from a backup, or start over with `shipgate init --force` (which moves it aside)",
  );
}

/** Whether a `running` gate is really running: only while a live process holds the lock. */
export function effectiveStatus(status: GateStatus, paths: LedgerPaths): GateStatus {
  return status === "running" && !lockIsLive(paths.lock) ? "incomplete" : status;
}

export function initialLedger(
  context: Ledger["context"],
  checkpoint: Pick<Checkpoint, "branch" | "sha">,
): Ledger {
  const at = context.initializedAt;
  return {
    schemaVersion: SCHEMA_VERSION,
    context,
    checkpoint: {
      updatedAt: at,
      phase: "initialized",
      branch: checkpoint.branch,
      sha: checkpoint.sha,
      remoteTag: "unknown",
      lastRunId: null,
      lastRunUrl: null,
      blockerEpicId: null,
      openBlockers: 0,
    },
    gates: {},
    blockers: [],
    bench: null,
    mechanics: {},
    delivery: {},
    events: [{ at, type: "initialized", data: { ...context } }],
  };
}

/**
 * Writes the JSON (atomic: temp file, fsync, rename) and then its Markdown rendering. The rendering is
 * replaced atomically too but not fsynced: it is derived from the JSON, and the next write renews it.
 */
function persist(paths: LedgerPaths, ledger: Ledger, config: ShipgateConfig | undefined): void {
  mkdirSync(paths.dir, { recursive: true });
  writeFileAtomic.sync(paths.json, `${JSON.stringify(ledger, null, 2)}\n`, { fsync: true });
  writeFileAtomic.sync(paths.md, renderMarkdown(ledger, config), { fsync: false });
}

// write-file-atomic's temp names: the target's name, a dot and an unsigned 32-bit hash in decimal.
const ATOMIC_TEMP = /^evidence\.(json|md)\.\d{1,10}$/;

/**
 * Removes the temp files of ledger writes cut short by a kill. Only the lock holder writes the ledger,
 * so while we hold the lock every such file is a dead writer's; nothing of another name is touched.
 */
function removeAtomicTemps(paths: LedgerPaths): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(paths.dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!ATOMIC_TEMP.test(name)) continue;
    const file = path.join(paths.dir, name);
    try {
      if (!lstatSync(file).isFile()) continue;
      unlinkSync(file);
      removed.push(path.relative(paths.evidenceDir, file));
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}

/**
 * Freezes an appended event and everything in it: events are shared between successive ledgers (see
 * `applied`), so a change to one in place would alter history unchecked; frozen, it throws instead.
 */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The one writer of a target's ledger; holds the lock for its whole life. */
export class LedgerWriter {
  /** The project's config, when known: evidence.md's next step then passes over unconfigured steps. */
  config: ShipgateConfig | undefined;
  /** Changes applied in memory but not yet written (see `stage`). */
  private staged = false;
  private pending: Promise<void> | undefined;
  /** The redaction rules the ledger's events were last redacted under in this process (see `applied`). */
  private redactedUnder: object | undefined;

  private constructor(
    readonly paths: LedgerPaths,
    private readonly lock: FileLock,
    private current: Ledger,
  ) {
    // Validated already (read or created); frozen so that no change can rewrite history in place.
    current.events.forEach(deepFreeze);
  }

  /** Opens an existing ledger for writing; gates left `running` by a dead run become `incomplete`. */
  static open(paths: LedgerPaths, command: string): LedgerWriter {
    return LedgerWriter.withLock(paths, FileLock.acquire(paths.lock, command));
  }

  /** Like open, but waits up to `waitMs` for another writer to finish instead of refusing at once. */
  static async openWaiting(paths: LedgerPaths, command: string, waitMs: number): Promise<LedgerWriter> {
    return LedgerWriter.withLock(paths, await FileLock.acquireWaiting(paths.lock, command, waitMs));
  }

  /**
   * Recovers from a run that was killed: its temp files are removed, and each gate it left `running`
   * becomes `incomplete` once whatever is left of the gate's processes has been killed (on record).
   */
  private static withLock(paths: LedgerPaths, lock: FileLock): LedgerWriter {
    try {
      const removed = [...lock.removed, ...removeAtomicTemps(paths)];
      const writer = new LedgerWriter(paths, lock, readLedger(paths));
      if (removed.length > 0) writer.update("leftovers-removed", { files: removed });
      const orphaned = Object.values(writer.current.gates).filter((g) => g.status === "running");
      if (orphaned.length > 0) {
        const verdicts = new Map<string, LeftoverVerdict>();
        for (const gate of orphaned) {
          if (gate.processes) verdicts.set(gate.id, killLeftoverProcesses(gate.processes));
        }
        const processes = Object.fromEntries(
          [...verdicts].filter(([, v]) => v.state !== "none").map(([id, v]) => [id, v]),
        );
        writer.update("gates-interrupted", { gates: orphaned.map((g) => g.id), processes }, (ledger) => {
          for (const gate of orphaned) {
            const record = ledger.gates[gate.id];
            if (!record) continue;
            const verdict = verdicts.get(gate.id);
            record.status = "incomplete";
            record.summary = `interrupted: the run that started this gate ended before it finished${verdict ? describeLeftovers(verdict) : ""}`;
            delete record.runnerPid;
            delete record.processes;
          }
        });
      }
      return writer;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Creates a ledger (moving an existing one aside first when `replace` is set). */
  static create(
    paths: LedgerPaths,
    command: string,
    ledger: Ledger,
    replace: boolean,
    config?: ShipgateConfig,
  ): { writer: LedgerWriter; movedTo?: string } {
    const lock = FileLock.acquire(paths.lock, command);
    try {
      // A first write killed mid-way leaves a temp file and no ledger; it must not outlive us either.
      removeAtomicTemps(paths);
      let movedTo: string | undefined;
      if (existsSync(paths.dir) && existsSync(paths.json)) {
        if (!replace) throw new UsageError(`a ledger already exists at ${paths.json}`);
        const stamp = nowIso().replace(/[:.]/g, "-");
        movedTo = path.join(path.dirname(paths.dir), `${path.basename(paths.dir)}.replaced-${stamp}`);
        renameSync(paths.dir, movedTo);
      }
      const clean = redactor().redactDeep(ledger);
      persist(paths, clean, config);
      const writer = new LedgerWriter(paths, lock, clean);
      writer.config = config;
      return { writer, movedTo };
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  get ledger(): Ledger {
    return this.current;
  }

  /**
   * Applies `mutate` to a copy, appends an event, validates, redacts and writes it atomically (with
   * anything staged before it). Synchronous on purpose: concurrent gates in one process can never
   * interleave two writes.
   */
  update(type: string, data: Record<string, unknown>, mutate?: (ledger: Ledger) => void): Ledger {
    const clean = this.applied(type, data, mutate);
    persist(this.paths, clean, this.config);
    this.current = clean;
    this.staged = false;
    return clean;
  }

  /**
   * Applies a change like `update` (validated and redacted at once, so a bad change throws here) but
   * leaves the write to the next `flush` or `update`. Gates that start or finish together then cost
   * one write between them instead of one each, which held back every gate started after the first.
   */
  stage(type: string, data: Record<string, unknown>, mutate?: (ledger: Ledger) => void): Ledger {
    this.current = this.applied(type, data, mutate);
    this.staged = true;
    return this.current;
  }

  /**
   * Resolves once everything staged before the call is on disk. The write waits for the current turn
   * of the event loop to end, so every change staged in that turn shares it.
   */
  flush(): Promise<void> {
    this.pending ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pending = undefined;
        try {
          this.writeStaged();
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
    return this.pending;
  }

  /** Writes the staged changes, if any; the lock is still ours, so nothing is lost by a late write. */
  private writeStaged(): void {
    if (!this.staged) return;
    persist(this.paths, this.current, this.config);
    this.staged = false;
  }

  /**
   * The ledger with `mutate` applied to a copy and the event appended, validated and redacted. The event
   * log is append-only: each event was validated when it was appended or read, and is frozen, so only the
   * new ones are parsed: a write then costs what the ledger's state costs, not its whole history (a
   * resumed `run` writes dozens of times onto hundreds of events). Older events are redacted again once
   * per set of redaction rules (a secret registered now may be in one of them). A change that replaced
   * an older event has the whole ledger checked.
   */
  private applied(type: string, data: Record<string, unknown>, mutate?: (ledger: Ledger) => void): Ledger {
    const { events: prior, ...state } = this.current;
    const next: Ledger = { ...structuredClone(state), events: [...prior] };
    mutate?.(next);
    const at = nowIso();
    next.checkpoint.updatedAt = at;
    next.checkpoint.openBlockers = next.blockers.filter((b) => b.state === "open").length;
    next.events.push({ at, type, data });

    const r = redactor();
    const historyKept =
      next.events.length > prior.length && prior.every((event, i) => next.events[i] === event);
    const rulesChanged = this.redactedUnder !== r.rulesVersion;
    this.redactedUnder = r.rulesVersion;
    if (!historyKept) {
      const whole = r.redactDeep(ledgerSchema.parse(next));
      whole.events.forEach(deepFreeze);
      return whole;
    }
    const { events, ...nextState } = next;
    const older = rulesChanged ? prior.map((e) => deepFreeze(r.redactDeep(e))) : prior;
    const added = events.slice(prior.length).map((e) => deepFreeze(r.redactDeep(eventSchema.parse(e))));
    return {
      ...r.redactDeep(ledgerSchema.parse({ ...nextState, events: [] })),
      events: [...older, ...added],
    };
  }

  /**
   * Writes what is still staged and gives up the lock. A failed last write is dropped, not thrown:
   * callers await `flush` for every change that decides anything, so only notes such as a process
   * group id can be pending here, and throwing would hide the error that ended the command.
   */
  release(): void {
    try {
      this.writeStaged();
    } catch {
      // see above
    }
    this.lock.release();
  }
}

/**
 * Opens the target's ledger for writing, runs `work` and releases the lock whatever happens. With
 * `waitMs` it queues behind another writer for that long instead of refusing at once.
 */
export async function withWriter<T>(
  paths: LedgerPaths,
  command: string,
  work: (writer: LedgerWriter) => Promise<T>,
  options: { waitMs?: number; config?: ShipgateConfig } = {},
): Promise<T> {
  const writer =
    options.waitMs === undefined
      ? LedgerWriter.open(paths, command)
      : await LedgerWriter.openWaiting(paths, command, options.waitMs);
  writer.config = options.config;
  try {
    return await work(writer);
  } finally {
    writer.release();
  }
}
