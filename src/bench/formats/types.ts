// The result-format extension point: turns one benchmark run's output into per-scenario samples.

export interface Sample {
  /** Scenario key: the same key on both sides means "comparable". */
  scenario: string;
  /** The bench name used by --scenarios filtering (Plasmite's `bench`; otherwise the scenario). */
  bench: string;
  value: number;
}

export class FormatError extends Error {
  override name = "FormatError";
}

export interface ResultFormat {
  name: string;
  /** The result field compared when `bench.metric` is not set. */
  defaultMetric: string;
  /** Throws FormatError on malformed or empty output: a run without samples is never "fine". */
  parse(text: string, metric: string): Sample[];
}

export function parseJson(text: string, format: string): unknown {
  if (text.trim() === "") throw new FormatError(`${format}: the run produced no output`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FormatError(`${format}: not valid JSON (${(err as Error).message})`);
  }
}

export function resultsArray(data: unknown, format: string): Record<string, unknown>[] {
  const results = (data as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length === 0)
    throw new FormatError(`${format}: no "results" array, or it is empty`);
  if (results.some((r) => !r || typeof r !== "object"))
    throw new FormatError(`${format}: every result must be an object`);
  return results as Record<string, unknown>[];
}

export function finiteNumber(value: unknown, what: string, format: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new FormatError(`${format}: ${what} is not a non-negative number (${JSON.stringify(value)})`);
  }
  return value;
}
