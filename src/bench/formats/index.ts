// The one list of bench result formats, chosen by `bench.format`: adding a format is one file + one line here.
import { genericFormat } from "./generic.js";
import { hyperfineFormat } from "./hyperfine.js";
import { plasmiteFormat } from "./plasmite.js";
import type { ResultFormat } from "./types.js";

export const formats = [
  plasmiteFormat,
  hyperfineFormat,
  genericFormat,
] as const satisfies readonly ResultFormat[];

/** The names `bench.format` accepts, derived from the list above. */
export const formatNames = formats.map((f) => f.name) as [string, ...string[]];

export function findFormat(name: string): ResultFormat {
  const format = formats.find((f) => f.name === name);
  if (!format) throw new Error(`unknown bench format ${name}`);
  return format;
}
