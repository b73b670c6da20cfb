// Parsing of option values shared by several commands: numbers, durations, run ids and comma-separated
// lists, each refused with exit 2 and the flag's name when it does not parse.
import { UsageError } from "../errors.js";

/** A number from a flag; `undefined` when the flag was not given. */
export function numberFlag(
  value: string | undefined,
  flag: string,
  options: { integer: boolean; allowZero?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const allowZero = options.allowZero ?? false;
  // Plain decimal digits only: "1e3", "0x10", " 2" and "Infinity" are numbers to JavaScript, not to a user.
  const ok =
    (options.integer ? /^\d+$/ : /^\d+(?:\.\d+)?$/).test(value) &&
    Number.isSafeInteger(Math.trunc(n)) &&
    (allowZero ? n >= 0 : n > 0) &&
    (!options.integer || Number.isInteger(n));
  if (!ok)
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a ${options.integer ? "whole " : ""}${allowZero ? "non-negative" : "positive"} number`,
    );
  return n;
}

/** `a,b , c` → [a, b, c]; a list naming nothing (`,` or ``) is refused rather than read as "all". */
export function listFlag(value: string | undefined, flag: string, example: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} names nothing`, `e.g. ${flag} ${example}`);
  return items;
}

/**
 * A duration flag in milliseconds: seconds (`90`) or a unit string (`90s`, `10m`, `500ms`); `0` only when
 * `allowZero`. `undefined` when the flag was not given.
 */
export async function durationFlag(
  value: string | undefined,
  flag: string,
  allowZero = false,
): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (allowZero && /^0+(\.0+)?(ms|s|m|h)?$/.test(text)) return 0;
  // Loaded here: the parser's module pulls in zod, which --help and --version should not pay for.
  const { parseDuration } = await import("../config/duration.js");
  const ms = /^\d+(\.\d+)?$/.test(text) ? parseDuration(Number(text)) : parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`${flag} "${value}" is not a duration`, `e.g. ${flag} 90s, 10m or 600`);
  return ms;
}

/** A GitHub Actions run id (a positive whole number); `undefined` when the flag was not given. */
export function runIdFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new UsageError(`${flag} "${value}" is not a run id`);
  return Number(value);
}
