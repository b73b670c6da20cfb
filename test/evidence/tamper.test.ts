// A hand-edited ledger is never trusted: whatever a command would do with it, a ledger that does not
// validate, or that names another target than the directory it lives in, is refused (exit 2, naming the
// field) and left byte for byte as it was.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import type { TempRepo } from "../helpers/repo.js";

let repo: TempRepo;
let pristine: string;
const file = () => path.join(repo.dir, ".shipgate/v0.3.0/evidence.json");

beforeAll(async () => {
  repo = releaseRepo("gates:\n  - { id: unit, run: 'true' }\n");
  repo.git("init", "-q", "--bare", path.join(repo.dir, ".git", "remote.git"));
  repo.git("remote", "add", "origin", path.join(repo.dir, ".git", "remote.git"));
  expect((await runCli(INIT, { cwd: repo.dir })).code).toBe(0);
  expect((await runCli(["gates", "--release-target", "v0.3.0"], { cwd: repo.dir })).code).toBe(0);
  pristine = readFileSync(file(), "utf8");
});
afterAll(() => repo.cleanup());

// biome-ignore lint/suspicious/noExplicitAny: the edits reach into an untyped copy of the JSON on purpose.
type Edit = (ledger: Record<string, any>) => void;
const cases: [string, Edit, RegExp][] = [
  [
    "another release target",
    (l) => (l.context.releaseTarget = "v0.3.1"),
    /context\.releaseTarget is "v0\.3\.1" but the ledger lives in v0\.3\.0/,
  ],
  ["an unknown top-level key", (l) => (l.extra = 1), /: extra: /],
  ["an unknown checkpoint key", (l) => (l.checkpoint.note = "x"), /checkpoint\.note/],
  ["an unknown gate record key", (l) => (l.gates.unit.approvedBy = "me"), /gates\.unit\.approvedBy/],
  ["a gate status that does not exist", (l) => (l.gates.unit.status = "ok"), /gates\.unit\.status/],
  ["a phase that does not exist", (l) => (l.checkpoint.phase = "released"), /checkpoint\.phase/],
  [
    "an unknown mechanics step",
    (l) => (l.mechanics.deploy = { done: true }),
    /mechanics\.deploy|mechanics: deploy/,
  ],
  ["a mode that does not exist", (l) => (l.context.mode = "yolo"), /context\.mode/],
  ["a negative open-blocker count", (l) => (l.checkpoint.openBlockers = -1), /checkpoint\.openBlockers/],
  [
    "a blocker without an id",
    (l) => l.blockers.push({ check: "x", title: "t", state: "open", tracker: "local", filedAt: "now" }),
    /blockers\.0\.id/,
  ],
  ["another schema version", (l) => (l.schemaVersion = 2), /schemaVersion 2 is not 1/],
];

describe("tampered ledger", () => {
  it.each(cases)(
    "%s is refused by status, gates and tag, and left untouched",
    async (_name, edit, message) => {
      const ledger = JSON.parse(pristine);
      edit(ledger);
      const tampered = `${JSON.stringify(ledger, null, 2)}\n`;
      writeFileSync(file(), tampered);
      for (const command of [["status"], ["gates"], ["tag"], ["blockers", "list"]]) {
        const r = await runCli([...command, "--release-target", "v0.3.0", "--json"], { cwd: repo.dir });
        expect(r.code, `${command.join(" ")}: ${r.stderr}`).toBe(2);
        expect(r.json<{ error: string }>().error).toMatch(message);
        expect(r.stderr.split("\n")[0]).toMatch(/^shipgate: error: the ledger .* is invalid: /);
        expect(readFileSync(file(), "utf8")).toBe(tampered);
      }
      expect(repo.git("tag", "--list")).not.toContain("v0.3.1");
      writeFileSync(file(), pristine);
    },
  );
});
