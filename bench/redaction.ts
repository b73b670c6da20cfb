// Redaction throughput: 10 MB of log-like output with a planted secret on 1 % of lines, redacted whole
// and as a stream in 64 KB chunks (as a gate's output arrives), with and without registered secrets.
import { Redactor } from "../src/evidence/redact.js";

const WORDS = [
  "build",
  "ok",
  "warning:",
  "token",
  "key:",
  "src/index.ts:12:7",
  "v1.2.3",
  "compiling",
  "test",
  "passed",
];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function text(rand: () => number, megabytes: number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const str = (n: number) => Array.from({ length: n }, () => pick([...ALNUM])).join("");
  const lines: string[] = [];
  let size = 0;
  while (size < megabytes * 1024 * 1024) {
    let line = Array.from({ length: 4 + Math.floor(rand() * 12) }, () => pick(WORDS)).join(" ");
    if (rand() < 0.01)
      line += ` ${pick([`ghp_${str(36)}`, `npm_${str(36)}`, `AKIA${str(16).toUpperCase()}`, `xoxb-${str(24)}`])}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join("\n")}\n`;
}

function rate(mb: number, work: () => void): number {
  const started = performance.now();
  work();
  return mb / ((performance.now() - started) / 1000);
}

export async function run(): Promise<void> {
  const input = text(seeded(7), 10);
  const mb = input.length / 1024 / 1024;
  console.log(`redaction: ${mb.toFixed(1)} MB of mixed output, a token on 1 % of lines`);
  for (const registered of [0, 5, 20]) {
    const r = new Redactor(
      {},
      Array.from({ length: registered }, (_, i) => `registered-secret-${i}-value`),
    );
    const whole = rate(mb, () => r.redact(input));
    const streamed = rate(mb, () => {
      const s = r.stream();
      for (let at = 0; at < input.length; at += 65536) s.write(input.slice(at, at + 65536));
      s.end();
    });
    console.log(
      `  ${registered} registered secrets: whole ${whole.toFixed(0)} MB/s, streamed in 64 KB chunks ${streamed.toFixed(0)} MB/s`,
    );
  }
}
