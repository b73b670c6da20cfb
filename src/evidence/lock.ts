// An exclusive file lock that names its holder and is taken over at once when the holder died. It guards
// each target's ledger and the local tracker's log.
//
// Written by hand: proper-lockfile (the usual choice) detects staleness only by mtime ageing and
// cannot say who holds a lock; the contract here is "refuse naming pid, host and since" and
// "take over at once from a dead pid", which needs the holder recorded in the lock itself.
import { linkSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { UsageError } from "../errors.js";

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

// A takeover mutex older than this was left by a process that died mid-takeover.
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

function sameHolder(a: LockHolder | null, b: LockHolder | null): boolean {
  return a !== null && b !== null && a.pid === b.pid && a.host === b.host && a.since === b.since;
}

export class FileLock {
  private held = false;
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
        takeOver(lockPath, current);
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

/** Removes a dead holder's lock, guarded so two processes cannot both remove a fresh lock. */
function takeOver(lockPath: string, dead: LockHolder | null): void {
  const mutex = `${lockPath}.takeover`;
  try {
    mkdirSync(mutex);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    try {
      if (Date.now() - statSync(mutex).mtimeMs > TAKEOVER_STALE_MS) rmdirSync(mutex);
    } catch {
      // another process cleared it
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    return;
  }
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
    rmdirSync(mutex);
  }
}
