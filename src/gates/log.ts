// A gate's log file: full output on disk (redacted before writing), the tail kept for the ledger excerpt.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { redactor } from "../evidence/redact.js";
import type { GateLog } from "./types.js";

export const EXCERPT_LINES = 40;
// The excerpt is for a glance in the ledger; the log file has everything.
const MAX_EXCERPT_CHARS = 8000;
const TAIL_KEEP = 200;

export class FileGateLog implements GateLog {
  private lines: string[] = [];
  private partial = "";
  // Writes come as whole lines (or a command's already-redacted output), so each is emitted at once;
  // the stream only carries state across writes: a private-key block written line by line stays hidden.
  private readonly scrub = redactor().stream();

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "");
  }

  write(text: string): void {
    const clean = this.scrub.write(text) + this.scrub.flush();
    if (clean === "") return;
    appendFileSync(this.file, clean);
    const parts = (this.partial + clean).split("\n");
    // Only the end of a line can reach the excerpt: a 1 MB line is not kept whole in memory.
    this.partial = (parts.pop() ?? "").slice(-MAX_EXCERPT_CHARS);
    for (const line of parts)
      this.lines.push(line.length > MAX_EXCERPT_CHARS ? line.slice(-MAX_EXCERPT_CHARS) : line);
    if (this.lines.length > TAIL_KEEP) this.lines = this.lines.slice(-TAIL_KEEP);
  }

  tail(count = EXCERPT_LINES): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    const text = all.slice(-count).join("\n");
    return text.length > MAX_EXCERPT_CHARS ? text.slice(-MAX_EXCERPT_CHARS) : text;
  }
}
