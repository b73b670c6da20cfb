// Plasmite's bench JSON: { results: [ { bench, durability, writers, payload_bytes, pool_size, messages, ms_per_msg, notes? } ] }.
import { FormatError, finiteNumber, parseJson, type ResultFormat, resultsArray } from "./types.js";

const KEY_FIELDS = ["bench", "durability", "writers", "payload_bytes", "pool_size", "notes"] as const;

export const plasmiteFormat: ResultFormat = {
  name: "plasmite",
  defaultMetric: "ms_per_msg",
  parse(text, metric) {
    return resultsArray(parseJson(text, "plasmite"), "plasmite").map((r, i) => {
      if (typeof r.bench !== "string" || r.bench === "")
        throw new FormatError(`plasmite: results[${i}] has no "bench" name`);
      // Readable and unique: the bench name, then every other key field that has a value.
      const rest = KEY_FIELDS.slice(1)
        .filter((k) => r[k] !== undefined && r[k] !== null && r[k] !== "")
        .map((k) => `${k}=${r[k]}`);
      const scenario = [r.bench, ...rest].join(" ");
      return {
        scenario,
        bench: r.bench,
        value: finiteNumber(r[metric], `results[${i}].${metric}`, "plasmite"),
      };
    });
  },
};
