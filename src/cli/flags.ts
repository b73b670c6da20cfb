// Parsing of option values shared by several commands: numbers and comma-separated lists, each refused
// with exit 2 and the flag's name when it does not parse.
import { parseDuration } from "../config/duration.js";
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
  const ok =
    value.trim() !== "" &&
    Number.isFinite(n) &&
    (allowZero ? n >= 0 : n > 0) &&
    (!options.integer || Number.isInteger(n));
  if (!ok)
    throw new UsageError(
      `${flag} "${value}" is not a ${options.integer ? "whole " : ""}${allowZero ? "non-negative" : "positive"} number`,
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

/** A duration flag in milliseconds: seconds (`90`) or a unit string (`90s`, `10m`, `500ms`); `0` when allowed. */
export function durationFlag(value: string | undefined, flag: string, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (allowZero && /^0+(\.0+)?(ms|s|m|h)?$/.test(text)) return 0;
  const ms = /^\d+(\.\d+)?$/.test(text) ? parseDuration(Number(text)) : parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`${flag} "${value}" is not a duration`, `e.g. ${flag} 90s or ${flag} 10m`);
  return ms;
}
