// A plain format for any benchmark: { results: [ { scenario, value } ] } (or another field named by `metric`).
import { FormatError, finiteNumber, parseJson, type ResultFormat, resultsArray } from "./types.js";

export const genericFormat: ResultFormat = {
  name: "generic",
  defaultMetric: "value",
  parse(text, metric) {
    return resultsArray(parseJson(text, "generic"), "generic").map((r, i) => {
      if (typeof r.scenario !== "string" || r.scenario === "")
        throw new FormatError(`generic: results[${i}] has no "scenario"`);
      return {
        scenario: r.scenario,
        bench: r.scenario,
        value: finiteNumber(r[metric], `results[${i}].${metric}`, "generic"),
      };
    });
  },
};
