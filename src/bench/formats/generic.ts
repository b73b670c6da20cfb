// A plain format for any benchmark: { results: [ { scenario, value } ] }.
import { FormatError, finiteNumber, parseJson, type ResultFormat, resultsArray } from "./types.js";

export const genericFormat: ResultFormat = {
  name: "generic",
  parse(text) {
    return resultsArray(parseJson(text, "generic"), "generic").map((r, i) => {
      if (typeof r.scenario !== "string" || r.scenario === "")
        throw new FormatError(`generic: results[${i}] has no "scenario"`);
      return {
        scenario: r.scenario,
        bench: r.scenario,
        value: finiteNumber(r.value, `results[${i}].value`, "generic"),
      };
    });
  },
};
