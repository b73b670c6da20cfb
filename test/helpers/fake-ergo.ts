// Test helper: a stand-in `ergo` executable implementing ergo's documented JSON contract, with its
// state in a JSON file, and failure modes chosen by FAKE_ERGO_MODE (garbage, two-values, fail, empty, null, exit2, slow,
// wrong-shape, no-id, bad-state).
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const SCRIPT = `#!/usr/bin/env node
const fs = require("fs");
const stateFile = process.env.FAKE_ERGO_STATE;
const mode = process.env.FAKE_ERGO_MODE || "";
const args = process.argv.slice(2);
if (args[0] !== "--json") { process.stderr.write("ergo: expected --json first\\n"); process.exit(2); }
if (mode === "fail") { process.stderr.write("ergo: database is locked (token=" + (process.env.LEAKY || "") + ")\\n"); process.exit(1); }
if (mode === "garbage") { process.stdout.write("Created epic!\\n"); process.exit(0); }
if (mode === "empty") process.exit(0);
if (mode === "null") { process.stdout.write("null\\n"); process.exit(0); }
if (mode === "exit2") process.exit(2);
if (mode === "slow") { setTimeout(() => process.exit(0), 5000); return; }
if (mode === "wrong-shape") { process.stdout.write(JSON.stringify({ ok: true }) + "\\n"); process.exit(0); }
if (mode === "no-id") { process.stdout.write(JSON.stringify(process.argv[3] === "list" ? [{ title: "Release blockers: v0.3.0" }] : { title: "x" }) + "\\n"); process.exit(0); }
if (mode === "bad-state") { process.stdout.write(JSON.stringify([{ id: "T1", title: "t", state: "finished" }]) + "\\n"); process.exit(0); }
const state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, "utf8")) : { next: 1, items: [], calls: [] };
const input = fs.readFileSync(0, "utf8");
state.calls.push({ args: args.slice(1), input });
const out = (v) => { fs.writeFileSync(stateFile, JSON.stringify(state, null, 2)); process.stdout.write(JSON.stringify(v) + (mode === "two-values" ? JSON.stringify(v) : "") + "\\n"); };
const [cmd, a, b] = args.slice(1);
if (cmd === "list" && a === "--epics") out(state.items.filter((i) => i.kind === "epic").map(({ id, title }) => ({ id, title })));
else if (cmd === "list" && a === "--epic") out(state.items.filter((i) => i.kind === "task" && i.epic === b).map(({ id, title, state }) => ({ id, title, state })));
else if (cmd === "new" && (a === "epic" || a === "task")) {
  const body = JSON.parse(input);
  const item = { id: "ER" + state.next++, kind: a, title: body.title, body: body.body, epic: body.epic, state: "todo" };
  state.items.push(item);
  out({ id: item.id, title: item.title });
} else if (cmd === "set") {
  const item = state.items.find((i) => i.id === a);
  if (!item) { process.stderr.write("ergo: no such item " + a + "\\n"); process.exit(1); }
  Object.assign(item, JSON.parse(input));
  out({ id: item.id, state: item.state });
} else { process.stderr.write("ergo: unknown command\\n"); process.exit(2); }
`;

/** Writes the stand-in as `<dir>/bin/ergo`; returns the bin dir (for PATH) and the state file. */
export function installFakeErgo(dir: string): { bin: string; stateFile: string } {
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, "ergo"), SCRIPT);
  chmodSync(path.join(bin, "ergo"), 0o755);
  return { bin, stateFile: path.join(dir, "ergo-state.json") };
}
