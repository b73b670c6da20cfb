// hyperfine's --export-json: { results: [ { command, mean, stddev, median, times: [...] } ] }; metric median/mean/min/max.
import { FormatError, finiteNumber, parseJson, type ResultFormat, resultsArray } from "./types.js";

export const hyperfineFormat: ResultFormat = {
  name: "hyperfine",
  parse(text, metric) {
    // The shared default metric is Plasmite's; for hyperfine it means "use the median".
    const field = metric === "ms_per_msg" ? "median" : metric;
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
