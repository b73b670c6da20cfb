// What one command invocation may remember: answers that cannot change while it runs (an artifact's or a
// release asset's bytes by id, the GitHub client of one repository) are kept for the rest of that
// invocation and no longer. The program runs each invocation inside `withInvocation`; in-process callers
// (tests, the build's warm-up) run many invocations in one process, each with its own memory, and code
// outside any invocation remembers nothing. Only answers are remembered, never failures.
import { AsyncLocalStorage } from "node:async_hooks";

interface Memory {
  values: Map<string, unknown>;
  bytesLimit: number;
  /** Downloads under way, shared by callers asking for the same bytes meanwhile. */
  pending: Map<string, Promise<Buffer>>;
  bytes: number;
}

const current = new AsyncLocalStorage<Memory>();

/** Bytes kept per invocation: an artifact bigger than what is left is downloaded again when asked again. */
export const MEMO_BYTES_LIMIT = 128 * 1024 * 1024;

export function withInvocation<T>(fn: () => T, bytesLimit = MEMO_BYTES_LIMIT): T {
  return current.run({ values: new Map(), bytesLimit, pending: new Map(), bytes: 0 }, fn);
}

/** The remembered answer for `key`, or `compute`'s, remembered once it succeeded. */
export async function remembered<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const memory = current.getStore();
  if (!memory) return compute();
  if (memory.values.has(key)) return memory.values.get(key) as T;
  const value = await compute();
  memory.values.set(key, value);
  return value;
}

export interface BytesOptions {
  /** Whether these bytes are final (e.g. a complete upload); bytes that are not are never kept. */
  final?: (bytes: Buffer) => boolean;
  /** The caller's own abort signal, if its download has one (see below). */
  signal?: AbortSignal | undefined;
}

/**
 * As `remembered`, for bytes: kept only while the invocation's total stays within MEMO_BYTES_LIMIT.
 * Every caller gets the same Buffer: readers only. A download already under way for the same key is
 * shared (two delivery checks read the same sums file at once); if it fails while this caller's own
 * signal has not fired (say the other caller's window ended), this caller downloads for itself.
 */
export async function rememberedBytes(
  key: string,
  compute: () => Promise<Buffer>,
  options: BytesOptions = {},
): Promise<Buffer> {
  const memory = current.getStore();
  if (!memory) return compute();
  const hit = memory.values.get(key);
  if (Buffer.isBuffer(hit)) return hit;
  const underway = memory.pending.get(key);
  if (underway) {
    try {
      return await underway;
    } catch (err) {
      if (options.signal?.aborted) throw err;
      return compute();
    }
  }
  const download = compute().then((bytes) => {
    if ((options.final?.(bytes) ?? true) && memory.bytes + bytes.length <= memory.bytesLimit) {
      memory.values.set(key, bytes);
      memory.bytes += bytes.length;
    }
    return bytes;
  });
  memory.pending.set(key, download);
  try {
    return await download;
  } finally {
    memory.pending.delete(key);
  }
}
