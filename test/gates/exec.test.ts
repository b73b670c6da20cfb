// execShell and the gate log: a child's output is redacted as it streams, whatever its line lengths and
// however the pipe splits it; secrets are generated at test time (nothing realistic is committed).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REDACTED } from "../../src/evidence/redact.js";
import { execShell } from "../../src/gates/exec.js";
import { FileGateLog } from "../../src/gates/log.js";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64URL = `${ALNUM}-_`;

let seed = 4242;
function rand(): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32;
}
function str(length: number, alphabet = ALNUM): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}
// Ordinary text with multi-byte characters, so the pipe also splits UTF-8 sequences.
function filler(length: number): string {
  const words = ["build", "ok", "token", "key:", "naïve", "café", "🚀", "done", "(x)", "a=b"];
  let out = "";
  while (out.length < length) out += `${words[Math.floor(rand() * words.length)]} `;
  return out;
}

const dir = mkdtempSync(path.join(tmpdir(), "shipgate-exec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A child that writes a file to stdout in random pieces (1 byte to 100 KB) with pauses between them.
const writer = path.join(dir, "writer.cjs");
writeFileSync(
  writer,
  `const data = require("fs").readFileSync(process.argv[2]);
let seed = Number(process.argv[3]);
const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
let at = 0;
const step = () => {
  if (at >= data.length) return;
  const size = 1 + (next() % (next() % 4 === 0 ? 100000 : 300));
  process.stdout.write(data.subarray(at, at + size), () => {
    at += size;
    setTimeout(step, next() % 5 === 0 ? 2 : 0);
  });
};
step();
`,
);

function leaks(output: string, secrets: string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets)
    for (let i = 0; i + 8 <= secret.length; i += 4)
      if (output.includes(secret.slice(i, i + 8))) found.push(secret.slice(i, i + 8));
  return found;
}

describe("execShell", () => {
  it("redacts a token written in two halves with a pause between them", async () => {
    const token = `ghp_${"k7".repeat(18)}`;
    const half = token.length / 2;
    const chunks: string[] = [];
    const result = await execShell(
      `printf '%s' '${token.slice(0, half)}'; sleep 0.2; printf '%s\\n' '${token.slice(half)}'; printf 'tail-no-newline'`,
      {
        cwd: process.cwd(),
        onOutput: (c) => chunks.push(c),
      },
    );
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe("[REDACTED]\ntail-no-newline");
    expect(chunks.join("")).not.toContain(token.slice(0, half));
  });

  it("redacts tokens anywhere on a 1 MB line that reaches it in random pieces, 64 KB boundaries included", async () => {
    const envSecret = `env-${str(20)}`;
    const tokens = () => [
      `gh${"p"}_${str(36)}`,
      `AKIA${str(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
      `eyJ${str(30, B64URL)}.eyJ${str(60, B64URL)}.${str(43, B64URL)}`,
      `xox${"b"}-${str(12, "0123456789")}-${str(24)}`,
      `{'Authorization': 'Bearer ${str(40)}'}`,
      `https://u:${str(16)}@host.invalid/x`,
      `AIza${str(35, B64URL)}`,
      envSecret,
    ];
    let line = "";
    let expected = "";
    const planted: string[] = [];
    // Straddle the first 64 KB boundaries on purpose, then anywhere.
    const targets = [65_536, 131_072, 196_608];
    while (line.length < 1024 * 1024) {
      const target = targets.shift();
      // Dense: a cut at a random place is likely to land inside some token.
      const gap = ` ${filler(target ? Math.max(1, target - line.length - 20) : 20 + Math.floor(rand() * 600))}`;
      const list = tokens();
      const token = list[Math.floor(rand() * list.length)] as string;
      line += gap + token;
      // The header and URL forms keep their context; only the credential goes.
      if (token.startsWith("{'")) {
        expected += `${gap}{'Authorization': 'Bearer ${REDACTED}'}`;
        planted.push(token.slice(26, -2));
      } else if (token.startsWith("https")) {
        expected += `${gap}https://u:${REDACTED}@host.invalid/x`;
        planted.push(token.slice(10, 26));
      } else {
        expected += gap + REDACTED;
        planted.push(token);
      }
    }
    line += " end\nsecond line\n";
    expected += " end\nsecond line\n";
    const file = path.join(dir, "long.txt");
    writeFileSync(file, line);

    const chunks: string[] = [];
    const result = await execShell(`"${process.execPath}" "${writer}" "${file}" 99`, {
      cwd: dir,
      env: { DEPLOY_SECRET: envSecret },
      onOutput: (c) => chunks.push(c),
    });
    expect(result.exitCode).toBe(0);
    const streamed = chunks.join("");
    // Equal to the expected redaction means no leak at all; the sample names a leak when there is one.
    const sample = planted.filter((_, i) => i % Math.ceil(planted.length / 60) === 0);
    expect(leaks(streamed, sample)).toEqual([]);
    expect(leaks(result.output, sample)).toEqual([]);
    expect(streamed === expected).toBe(true);
    expect(expected.startsWith(result.output)).toBe(true);
  });

  it("hides a private key printed line by line with pauses, keeping the lines around it", async () => {
    const body = Array.from({ length: 5 }, () => str(64));
    const kind = "OPENSSH PRIVATE KEY";
    const script = [
      "echo before",
      `echo '-----BEGIN ${kind}-----'`,
      ...body.flatMap((l) => [`echo '${l}'`, "sleep 0.02"]),
      `printf '%s' '-----END OPEN'`,
      "sleep 0.05",
      `echo 'SSH PRIVATE KEY-----'`,
      "echo after",
    ].join("; ");
    const chunks: string[] = [];
    const result = await execShell(script, { cwd: dir, onOutput: (c) => chunks.push(c) });
    expect(result.output).toBe(`before\n${REDACTED}\nafter\n`);
    expect(leaks(chunks.join(""), body)).toEqual([]);
  });

  it("hides a secret too long to hold (a 200 KB .npmrc value) and resumes after it", async () => {
    const value = str(200 * 1024);
    const file = path.join(dir, "npmrc.txt");
    writeFileSync(file, `a\n//registry.invalid/:_authToken=${value} after\nb\n`);
    const chunks: string[] = [];
    const result = await execShell(`"${process.execPath}" "${writer}" "${file}" 7`, {
      cwd: dir,
      onOutput: (c) => chunks.push(c),
    });
    expect(chunks.join("")).toBe(`a\n//registry.invalid/:_authToken=${REDACTED} after\nb\n`);
    expect(leaks(result.output, [value.slice(0, 4096), value.slice(-4096)])).toEqual([]);
  });

  it("redacts the value of a secret-named variable handed to the child, also URL-encoded", async () => {
    const secret = `s3cr3t/${str(12)}`;
    const result = await execShell(`echo "v=$API_TOKEN"; printf 'u=%s\\n' '${encodeURIComponent(secret)}'`, {
      cwd: dir,
      env: { API_TOKEN: secret },
    });
    expect(result.output).toBe(`v=${REDACTED}\nu=${REDACTED}\n`);
  });

  it("reports a command that cannot start as a spawn error, never as exit 0", async () => {
    const result = await execShell("true", { cwd: "/nonexistent/dir" });
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toBeTruthy();
  });
});

describe("FileGateLog", () => {
  it("keeps a private key written one line per write out of the file and the excerpt", () => {
    const file = path.join(dir, "logs", "gate.log");
    const log = new FileGateLog(file);
    const body = Array.from({ length: 4 }, () => str(64));
    log.write("$ ./release.sh\n");
    log.write("-----BEGIN RSA PRIVATE KEY-----\n");
    for (const line of body) log.write(`${line}\n`);
    log.write("-----END RSA PRIVATE KEY-----\n");
    log.write("done\n");
    const text = readFileSync(file, "utf8");
    expect(text).toBe(`$ ./release.sh\n${REDACTED}\ndone\n`);
    expect(leaks(log.tail(), body)).toEqual([]);
    expect(log.tail()).toContain("done");
  });

  it("keeps only the end of a very long line for the excerpt", () => {
    const log = new FileGateLog(path.join(dir, "logs", "long.log"));
    log.write(`${"x".repeat(2 * 1024 * 1024)} tail-marker`);
    const tail = log.tail();
    expect(tail.length).toBeLessThanOrEqual(8000);
    expect(tail.endsWith("tail-marker")).toBe(true);
  });
});
