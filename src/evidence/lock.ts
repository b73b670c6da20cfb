// An exclusive file lock that names its holder and is taken over at once when the holder died. It guards
// each target's ledger and the local tracker's log.
//
// Written by hand: proper-lockfile (the usual choice) detects staleness only by mtime ageing and
// cannot say who holds a lock; the contract here is "refuse naming pid, host and since" and
// "take over at once from a dead pid", which needs the holder recorded in the lock itself.
import {
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { UsageError } from "../errors.js";

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

// A takeover mutex older than this was left by a process that died mid-takeover (one whose owner is
// known dead is stale at once).
const TAKEOVER_STALE_MS = 10_000;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readLockHolder(lockPath: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(lockPath, "utf8")) as LockHolder;
  } catch {
    return null;
  }
}

/** True when the lock is held by a live process (readers use this to tell a live `running` gate). */
export function lockIsLive(lockPath: string): boolean {
  const holder = readLockHolder(lockPath);
  return holder !== null && (holder.host !== os.hostname() || pidAlive(holder.pid));
}

/** Dead for sure: a holder on this host whose pid no longer runs (another host's pid proves nothing). */
function deadHere(holder: LockHolder | null): boolean {
  return holder !== null && holder.host === os.hostname() && !pidAlive(holder.pid);
}

function sameHolder(a: LockHolder | null, b: LockHolder | null): boolean {
  return a !== null && b !== null && a.pid === b.pid && a.host === b.host && a.since === b.since;
}

export class FileLock {
  private held = false;
  /** Leftovers of dead processes removed when the lock was taken (file names, relative to its folder). */
  removed: string[] = [];
  private readonly onExit = () => this.release();

  private constructor(
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {}

  /** Acquires the lock or throws UsageError naming the live holder. */
  static acquire(lockPath: string, command: string, what = "the ledger"): FileLock {
    mkdirSync(path.dirname(lockPath), { recursive: true });
    const holder: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      since: new Date().toISOString(),
      command,
    };
    const lock = new FileLock(lockPath, holder);
    const temp = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(temp, `${JSON.stringify(holder)}\n`);
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          // link() is atomic and fails if the name exists, so the lock appears with its full content.
          linkSync(temp, lockPath);
          lock.held = true;
          process.once("exit", lock.onExit);
          lock.removed = removeLeftovers(lockPath, temp);
          return lock;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        const current = readLockHolder(lockPath);
        if (current && (current.host !== holder.host || pidAlive(current.pid))) {
          throw new UsageError(
            `${what} is locked by pid ${current.pid} on ${current.host} since ${current.since} (${current.command})`,
            "wait for that run to finish; a lock left by a dead process is taken over automatically",
          );
        }
        takeOver(lockPath, current, temp);
      }
      throw new UsageError(`could not acquire ${lockPath}: it keeps changing hands`);
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    }
  }

  /** Like acquire, but waits (polling) up to `waitMs` for a live holder to finish. */
  static async acquireWaiting(
    lockPath: string,
    command: string,
    waitMs: number,
    what = "the ledger",
  ): Promise<FileLock> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return FileLock.acquire(lockPath, command, what);
      } catch (err) {
        if (!(err instanceof UsageError) || Date.now() >= deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    process.removeListener("exit", this.onExit);
    if (sameHolder(readLockHolder(this.lockPath), this.holder)) {
      try {
        unlinkSync(this.lockPath);
      } catch {
        // removed by someone else already
      }
    }
  }
}

/**
 * Removes a dead holder's lock, guarded so two processes cannot both remove a fresh lock. The guard is a
 * file linked from our own holder record (like the lock itself), so a guard left by a process killed
 * mid-takeover names a dead pid and is cleared at once instead of blocking everyone for a while.
 */
function takeOver(lockPath: string, dead: LockHolder | null, ownRecord: string): void {
  const mutex = `${lockPath}.takeover`;
  try {
    linkSync(ownRecord, mutex);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    if (mutexIsStale(mutex)) removeMutex(mutex);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    return;
  }
  const mine = readLockHolder(ownRecord);
  try {
    const current = readLockHolder(lockPath);
    // Only remove the lock we judged dead; a new live holder may have replaced it meanwhile.
    if (current === null ? dead === null : sameHolder(current, dead)) {
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
    }
  } finally {
    // A lock holder may have cleared the guard meanwhile (and another taken it): remove only our own.
    if (sameHolder(readLockHolder(mutex), mine)) removeMutex(mutex);
  }
}

function mutexIsStale(mutex: string): boolean {
  try {
    const info = lstatSync(mutex);
    // A directory is the guard of an older shipgate; it carries no owner, only its age.
    const owner = info.isFile() ? readLockHolder(mutex) : null;
    return deadHere(owner) || Date.now() - info.mtimeMs > TAKEOVER_STALE_MS;
  } catch {
    return false;
  }
}

function removeMutex(mutex: string): void {
  try {
    rmSync(mutex, { recursive: true, force: true });
  } catch {
    // another process cleared it
  }
}

// What acquiring any lock `<name>.lock` may leave beside it when killed: its holder record, written
// before it is linked into place, and the takeover guard.
const HOLDER_RECORD = /^.+\.lock\.(\d+)\.[0-9a-z]+$/;
const TAKEOVER_GUARD = /^.+\.lock\.takeover$/;

/**
 * Called by a new holder: removes, in the lock's folder, what processes killed while taking a lock
 * left: holder records (`<x>.lock.<pid>.<random>`, whose name and content name their writer) and
 * takeover guards (`<x>.lock.takeover`). Only names of exactly those shapes, and only when the process
 * that wrote them is dead on this host; a record of a live one is in use and stays. Any lock's
 * leftovers in the folder go, as their dead writers are proven: the folder holds the ledgers' locks
 * and, by default, the tracker log's.
 */
function removeLeftovers(lockPath: string, ownRecord: string): string[] {
  const dir = path.dirname(lockPath);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    if (file === ownRecord) continue;
    const record = HOLDER_RECORD.exec(name);
    try {
      if (record) {
        if (!lstatSync(file).isFile()) continue;
        const pid = Number(record[1]);
        const text = readFileSync(file, "utf8");
        const holder = readLockHolder(file);
        // An empty record was cut short by a kill before its content was written: its name names it.
        if (text !== "" && holder?.pid !== pid) continue;
        if (!deadHere(holder ?? { pid, host: os.hostname(), since: "", command: "" })) continue;
        unlinkSync(file);
        removed.push(name);
      } else if (TAKEOVER_GUARD.test(name) && mutexIsStale(file)) {
        removeMutex(file);
        removed.push(name);
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
