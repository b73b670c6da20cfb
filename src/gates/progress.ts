// Progress while gates run off a TTY (and under --json, on stderr): one line per start and finish.
// The live list for a terminal is tty-progress.ts, kept apart so that only a terminal loads listr2.
import type { GateConfig } from "../config/schema.js";
import { type GateReporter, type GateResult, gateName } from "./engine.js";

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function line(result: GateResult): string {
  const how = result.cached ? "cached" : seconds(result.durationMs);
  return `${result.id} ${result.status} (${how}): ${result.summary}`;
}

/** Plain lines; used off a TTY and in --json mode (where `write` goes to stderr). */
export class LineReporter implements GateReporter {
  constructor(private readonly write: (text: string) => void) {}
  start(gate: GateConfig): void {
    this.write(`start ${gate.id}: ${gateName(gate)}`);
  }
  finish(_gate: GateConfig, result: GateResult): void {
    this.write(
      `${result.status === "pass" || result.status === "skipped" ? "done " : "BLOCK"} ${line(result)}`,
    );
  }
}
