// hyperfine's --export-json: { results: [ { command, mean, stddev, median, times: [...] } ] }; metric median/mean/min/max.
import { FormatError, finiteNumber, parseJson, type ResultFormat, resultsArray } from "./types.js";

export const hyperfineFormat: ResultFormat = {
  name: "hyperfine",
  defaultMetric: "median",
  parse(text, field) {
    return resultsArray(parseJson(text, "hyperfine"), "hyperfine").map((r, i) => {
      if (typeof r.command !== "string" || r.command === "")
        throw new FormatError(`hyperfine: results[${i}] has no "command"`);
      return {
        scenario: r.command,
        bench: r.command,
        value: finiteNumber(r[field], `results[${i}].${field}`, "hyperfine"),
      };
    });
  },
};
