// Parsing of option values shared by several commands: numbers and comma-separated lists, each refused
// with exit 2 and the flag's name when it does not parse.
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
