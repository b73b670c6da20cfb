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

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "");
  }

  write(text: string): void {
    const clean = redactor().redact(text);
    appendFileSync(this.file, clean);
    const parts = (this.partial + clean).split("\n");
    this.partial = parts.pop() ?? "";
    this.lines.push(...parts);
    if (this.lines.length > TAIL_KEEP) this.lines = this.lines.slice(-TAIL_KEEP);
  }

  tail(count = EXCERPT_LINES): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    const text = all.slice(-count).join("\n");
    return text.length > MAX_EXCERPT_CHARS ? text.slice(-MAX_EXCERPT_CHARS) : text;
  }
}
