// The one list of bench result formats, chosen by `bench.format`.
import { genericFormat } from "./generic.js";
import { hyperfineFormat } from "./hyperfine.js";
import { plasmiteFormat } from "./plasmite.js";
import type { ResultFormat } from "./types.js";

export const formats: ResultFormat[] = [plasmiteFormat, hyperfineFormat, genericFormat];

export function findFormat(name: string): ResultFormat {
  const format = formats.find((f) => f.name === name);
  if (!format) throw new Error(`unknown bench format ${name}`);
  return format;
}
