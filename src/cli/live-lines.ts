// Progress of a waiting release step: on a TTY a live block of keyed lines (a run and its jobs) redrawn
// in place; otherwise, and with --json (on stderr), one line per change.
import type { Output } from "./output.js";

export interface LiveLines {
  progress(text: string, key?: string): void;
  /** Leaves the last frame on screen. */
  done(): void;
}

const UP = (n: number) => `\u001b[${n}A`;
const CLEAR_DOWN = "\u001b[0J";

export function liveLines(out: Output): LiveLines {
  const tty = !out.json && Boolean(out.io.stdout.isTTY);
  if (!tty) return { progress: (text) => out.progress(text), done: () => {} };
  const keyed = new Map<string, string>();
  let drawn = 0;
  const write = (text: string) => out.io.stdout.write(text);
  // A wrapped line would throw the cursor arithmetic off: each line is cut to the terminal's width.
  const width = Math.max(20, ((out.io.stdout as { columns?: number }).columns ?? 80) - 1);
  const clip = (line: string) => (line.length > width ? `${line.slice(0, width - 1)}…` : line);
  const redraw = (above?: string) => {
    let frame = drawn > 0 ? `${UP(drawn)}\r${CLEAR_DOWN}` : "";
    if (above !== undefined) frame += `${above}\n`;
    const lines = [...keyed.values()];
    frame += lines.map((l) => `${clip(l)}\n`).join("");
    drawn = lines.length;
    write(frame);
  };
  return {
    progress(text, key) {
      if (key === undefined) return redraw(text);
      keyed.set(key, text);
      redraw();
    },
    done() {
      keyed.clear();
      drawn = 0;
    },
  };
}
