// The leak matrix end to end: every secret shape, planted through every way text enters shipgate (a
// gate's stdout, stderr, writes split mid-token, a 1 MB line, a key block line by line, the config's
// `run` string and `env:` values, a snippet file, command-line arguments), must appear in no output:
// stdout and stderr of every command (human and --json), the ledger, evidence.md, the gate logs and the
// tracker's log (blocker bodies).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import { listFilesRecursive } from "../helpers/files.js";
import type { TempRepo } from "../helpers/repo.js";
import { type PlantedSecret, plantedKeyBlock, plantedSecrets } from "../helpers/secrets.js";

const EMIT = `import { readFileSync } from "node:fs";
const { texts, key } = JSON.parse(readFileSync("secrets.json", "utf8"));
const mode = process.argv[2];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
if (mode === "stdout") for (const t of texts) console.log("deploying with " + t + " now");
if (mode === "stderr") for (const t of texts) console.error("error: " + t);
if (mode === "split") for (const t of texts) { const h = Math.floor(t.length / 2); process.stdout.write("a" + t.slice(0, h)); await sleep(5); process.stdout.write(t.slice(h) + "z\\n"); await sleep(5); }
if (mode === "long") { let line = ""; for (const t of texts) line += "x".repeat(65536 - 7) + t; process.stdout.write(line + "\\n"); }
if (mode === "key") for (const l of key.split("\\n")) { console.log(l); await sleep(2); }
process.exit(1);
`;

let repo: TempRepo;
let planted: PlantedSecret[];
let keyBody: string[];
let envValue: string;
let runSecret: string;
const outputs: { channel: string; text: string }[] = [];

beforeAll(async () => {
  planted = plantedSecrets();
  const key = plantedKeyBlock();
  keyBody = key.body;
  envValue = `deploy-${"target"}-${Math.random().toString(36).slice(2, 12)}`;
  runSecret = planted[0]?.text as string;
  const config = `gates:
  - { id: out, run: "node emit.mjs stdout" }
  - { id: err, run: "node emit.mjs stderr" }
  - { id: split, run: "node emit.mjs split" }
  - { id: long, run: "node emit.mjs long" }
  - { id: key, run: "node emit.mjs key" }
  - { id: inrun, run: "echo started ${runSecret} && exit 1" }
  - { id: envval, run: 'echo "target is $DEPLOY_TARGET" && exit 1', env: { DEPLOY_TARGET: "${envValue}" } }
`;
  repo = releaseRepo(config);
  repo.write("emit.mjs", EMIT);
  writeFileSync(
    path.join(repo.dir, "secrets.json"),
    JSON.stringify({ texts: planted.map((p) => p.text), key: key.text }),
  );
  repo.write(".gitignore", ".shipgate/\nsecrets.json\n");
  repo.commit("emitter");
  const T = ["--release-target", "v0.3.0"];
  const run = async (channel: string, args: string[]) => {
    const r = await runCli(args, { cwd: repo.dir });
    outputs.push(
      { channel: `${channel} stdout`, text: r.stdout },
      { channel: `${channel} stderr`, text: r.stderr },
    );
    return r;
  };
  await run("init", INIT);
  expect((await run("gates", ["gates", ...T])).code).toBe(1);
  await run("gates --json", ["gates", ...T, "--json", "--rerun"]);
  writeFileSync(path.join(repo.dir, "snippet.log"), planted.map((p) => `line ${p.text}`).join("\n"));
  const all = planted.map((p) => p.text).join(" ");
  await run("blockers file", [
    "blockers",
    "file",
    ...T,
    "--check",
    "manual",
    "--title",
    `leak ${planted[1]?.text}`,
    "--summary",
    `summary ${all}`,
    "--failing-command",
    `deploy ${planted[2]?.text}`,
    "--log-snippet-file",
    "snippet.log",
  ]);
  await run("blockers list", ["blockers", "list", ...T, "--json"]);
  await run("status", ["status", ...T]);
  await run("status --json", ["status", ...T, "--json"]);
  for (const file of listFilesRecursive(path.join(repo.dir, ".shipgate")))
    outputs.push({ channel: path.relative(repo.dir, file), text: readFileSync(file, "utf8") });
});
afterAll(() => repo?.cleanup());

describe("no secret leaves", () => {
  it("plants every shape through every input channel", () => {
    expect(new Set(planted.map((p) => p.shape)).size).toBeGreaterThanOrEqual(12);
    // The plants really reached the outputs (redacted): a matrix that saw nothing would prove nothing.
    const all = outputs.map((o) => o.text).join("\n");
    expect(all).toContain("deploying with [REDACTED] now");
    expect(all).toContain("error: [REDACTED]");
    expect(all).toContain("target is [REDACTED]");
    expect(outputs.map((o) => o.channel)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/evidence\.json$/),
        expect.stringMatching(/evidence\.md$/),
        expect.stringMatching(/blockers\.jsonl$/),
      ]),
    );
  });

  it("finds 0 leaks across every output", () => {
    const secrets = [
      ...planted.map((p) => ({ shape: p.shape, secret: p.secret })),
      ...keyBody.map((line, i) => ({ shape: `private key line ${i + 1}`, secret: line })),
      { shape: "gate env value", secret: envValue },
    ];
    const leaks = secrets.flatMap(({ shape, secret }) =>
      outputs.filter((o) => o.text.includes(secret)).map((o) => `${shape} in ${o.channel}`),
    );
    console.log(`leak matrix: ${secrets.length} secrets x ${outputs.length} outputs, ${leaks.length} leaks`);
    expect(leaks).toEqual([]);
  });
});
