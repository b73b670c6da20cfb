// Error types shared by every layer; each carries its exit code (0 pass, 1 blocked, 2 usage, 3 incomplete),
// a hint for people and, where one exists, the command (argv) that fixes it for agents.
export const ExitCode = {
  pass: 0,
  blocked: 1,
  usage: 2,
  incomplete: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the user can act on: printed as one line, never with a stack trace. */
export class ShipgateError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
    /** The command that deals with it, e.g. ["shipgate", "init", …]; shown as `next` in --json. */
    readonly fix?: string[],
  ) {
    super(message);
    this.name = "ShipgateError";
  }
}

/** Bad flag, bad tag, bad config, context mismatch, locked ledger: exit 2. */
export class UsageError extends ShipgateError {
  constructor(message: string, hint?: string, fix?: string[]) {
    super(message, ExitCode.usage, hint, fix);
    this.name = "UsageError";
  }
}

/** A tool, credential, network answer or artifact was missing: exit 3. */
export class IncompleteError extends ShipgateError {
  constructor(message: string, hint?: string, fix?: string[]) {
    super(message, ExitCode.incomplete, hint, fix);
    this.name = "IncompleteError";
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Promise.all for independent checks asked at once: waits for every one, then throws the first failure in
 * the given order rather than the first to happen, so the error a user sees does not depend on timing
 * and is the one the checks would have raised one after another.
 */
export async function allInOrder<T extends readonly unknown[] | []>(
  values: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(values);
  for (const result of settled) if (result.status === "rejected") throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
