// Malformed inputs, by class: broken or hostile config files (YAML, JSON, encodings, file types), config
// values that are wrong for this repository, unknown keys and kinds, and bad command lines. Each must
// exit 2 with one `shipgate: error:` line (plus at most a hint) naming what is wrong, and change nothing.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processIo } from "../../src/cli/output.js";
import { buildProgram, commandPath } from "../../src/cli/program.js";
import { parseConfig } from "../../src/config/load.js";
import { runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import { listFilesRecursive } from "../helpers/files.js";
import { createRepo, type TempRepo, tempDir } from "../helpers/repo.js";

const BASE_CONFIG = "tracker: { kind: local }\ngates:\n  - { id: ok, run: 'true' }\n";
const GATES = ["gates", "--release-target", "v0.3.0"];

interface Case {
  name: string;
  /** Written as shipgate.yaml (restored afterwards); omit to keep the working config. */
  config?: string | Buffer;
  /** Other files to create for this case (removed afterwards): text, bytes, or a special kind. */
  files?: Record<string, string | Buffer | "dir" | "fifo" | "unreadable">;
  args?: string[];
  /** What the error line must name: the file, key path, line, value… */
  says: (string | RegExp)[];
  /** The argv `next` must give under --json (the command that fixes it). */
  fix?: string[];
  /** A problem of the whole file (empty, an alias bomb…): no line to name. */
  wholeFile?: true;
}

const gate = (body: string) => `gates:\n  - id: a\n${body}`;
const init = (over: Record<string, string>) => INIT.map((a) => over[a] ?? a);

const CASES: Case[] = [
  // YAML syntax and structure: line and column, and the key path where there is one.
  {
    name: "undefined alias",
    config: "gates:\n  - *nope\n",
    says: ["shipgate.yaml", "*nope", "line 2, column 5"],
  },
  {
    name: "alias bomb",
    config:
      "gates: []\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    wholeFile: true,
    says: ["shipgate.yaml", "alias"],
  },
  {
    name: "error inside a gate that uses a merge key",
    config: "gates:\n  - &base\n    id: a\n    run: 'true'\n  - <<: *base\n    id: b\n    run: 3\n",
    says: ["gates[1].run", "expected string or array, got number", "line 7"],
  },
  {
    name: "unknown key next to a merge key",
    config: "gates:\n  - &base { id: a, run: 'true' }\n  - <<: *base\n    id: b\n    tiemout: 5\n",
    says: ["gates[1].tiemout", 'did you mean "timeout"', "line 5"],
  },
  {
    name: "merge key naming a list",
    config: "gates:\n  - &l [1]\n  - <<: *l\n    id: b\n",
    says: ['gates[1]["<<"]', "must name a mapping", "line 3"],
  },
  {
    name: "merge key naming a scalar",
    config: "evidenceDir: &d .shipgate\ngates:\n  - <<: *d\n    id: b\n",
    says: ['gates[0]["<<"]', "must name a mapping", "line 3"],
  },
  {
    name: "duplicate top-level key",
    config: "gates: []\ngates: []\n",
    says: ['duplicate key "gates"', "line 2, column 1"],
  },
  {
    name: "duplicate key in a gate",
    config: gate("    run: 'true'\n    run: 'false'\n"),
    says: ["gates[0].run", 'duplicate key "run"', "line 4"],
  },
  { name: "tab as indentation", config: "gates:\n\t- id: a\n", says: ["Tabs", "line 2, column 1"] },
  {
    name: "non-UTF-8 bytes",
    config: Buffer.concat([
      Buffer.from("gates:\n  - id: a\n    run: 'caf"),
      Buffer.from([0xe9]),
      Buffer.from("'\n"),
    ]),
    says: ["not UTF-8", "0xE9", "line 3, column 14"],
  },
  {
    name: "byte-order mark",
    config: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("gates: []\n")]),
    says: ["byte-order mark", "line 1, column 1"],
  },
  { name: "empty file", config: "", wholeFile: true, says: ["shipgate.yaml: is empty"] },
  {
    name: "only comments",
    config: "# nothing yet\n",
    wholeFile: true,
    says: ["shipgate.yaml: holds no settings"],
  },
  {
    name: "control character",
    config: "gates: []\nevidenceDir: 'a\u0007b'\n",
    says: ["U+0007", "line 2, column 16"],
  },
  {
    name: "bidirectional override",
    config: gate("    run: 'echo \u202Eok'\n"),
    says: ["U+202E", "line 3, column 16"],
  },
  {
    name: "two YAML documents",
    config: "gates: []\n---\ngates: []\n",
    says: ["multiple documents", "line 2"],
  },
  { name: "unknown YAML tag", config: "gates: !shell []\n", says: ["Unresolved tag", "line 1, column 8"] },
  { name: "a list at the top", config: "- id: a\n", says: ["expected a mapping of keys at the top level"] },
  { name: "unclosed flow list", config: "gates: [\n  { id: a }\n", says: ["not valid YAML", "line "] },
  {
    name: "config is a directory",
    files: { "shipgate.yaml": "dir" },
    says: ["shipgate.yaml: is a directory"],
  },
  {
    name: "config is a FIFO",
    files: { "shipgate.yaml": "fifo" },
    says: ["shipgate.yaml: is not a regular file"],
  },
  {
    name: "two candidate configs",
    files: { "shipgate.yaml": "gates: []\n", "shipgate.json": '{"gates": []}' },
    says: ["both shipgate.yaml and shipgate.json"],
  },
  {
    name: "--config naming nothing",
    args: ["config", "check", "--config", "nope.yaml"],
    says: ["nope.yaml", "does not exist"],
  },
  {
    name: "--config naming a directory",
    files: { "conf.yaml": "dir" },
    args: ["config", "check", "--config", "conf.yaml"],
    says: ["conf.yaml: is a directory"],
  },
  {
    name: "--config of another file type",
    files: { "shipgate.toml": "gates = []\n" },
    args: ["config", "check", "--config", "shipgate.toml"],
    says: ["--config shipgate.toml is not a .yaml, .yml or .json file"],
  },
  {
    name: "a config over 1 MiB",
    files: { "shipgate.yaml": `gates: []\n${"#".repeat(1024 * 1024)}\n` },
    says: ["shipgate.yaml: is 1048587 bytes"],
  },
  {
    name: "nesting bomb in YAML",
    config: `gates: ${"[".repeat(1500)}${"]".repeat(1500)}\n`,
    says: ["nested too deeply", "levels more)"],
  },
  // JSON: line and column for syntax, duplicates refused (JSON.parse would keep the last one).
  {
    name: "JSON trailing comma",
    files: { "shipgate.json": '{\n  "gates": [],\n}\n' },
    says: ["shipgate.json", "not valid JSON", "line 3, column 1"],
  },
  {
    name: "JSON duplicate key",
    files: { "shipgate.json": '{\n  "gates": [],\n  "gates": []\n}\n' },
    says: ["shipgate.json", 'duplicate key "gates"', "line 3, column 3"],
  },
  {
    name: "JSON bad literal",
    files: { "shipgate.json": '{"gates": [{"id": "a", "run": tru}]}' },
    says: ["shipgate.json", "gates[0].run", "line 1, column 31"],
  },
  {
    name: "JSON unterminated string",
    files: { "shipgate.json": '{\n  "gates": [{"id": "a' },
    says: ["shipgate.json", "gates[0].id", "unterminated string", "line 2, column 20"],
  },
  {
    name: "JSON raw newline in a string",
    files: { "shipgate.json": '{\n  "gates": [{"id": "a}]\n}\n' },
    says: ["shipgate.json", "gates[0].id", "control character inside a string", "line 2, column 24"],
  },
  {
    name: "JSON nesting bomb",
    files: { "shipgate.json": `{"gates": ${"[".repeat(5000)}` },
    says: ["nested deeper"],
  },
  {
    name: "JSON wrong type with its line",
    files: { "shipgate.json": '{\n  "gates": [\n    {"id": "a", "run": 3}\n  ]\n}\n' },
    says: ["shipgate.json: gates[0].run", "line 3"],
  },
  // Unknown keys, at every level, with the closest known key; unknown kinds with the known ones.
  {
    name: "unknown top-level key",
    config: "gatez: []\n",
    says: ["gatez", 'did you mean "gates"', "line 1, column 1"],
  },
  {
    name: "unknown gate key",
    config: gate("    run: x\n    tiemout: 5\n"),
    says: ["gates[0].tiemout", 'did you mean "timeout"'],
  },
  {
    name: "unknown manifest key",
    config: gate(
      "    kind: version-alignment\n    manifests:\n      - { file: package.json, kee: version }\n",
    ),
    says: ["gates[0].manifests[0].kee", 'did you mean "key"'],
  },
  {
    name: "unknown workflow rule key",
    config: gate("    kind: workflow-contract\n    rules:\n      - { workflow: ci.yml, trigers: [push] }\n"),
    says: ["gates[0].rules[0].trigers", 'did you mean "triggers"'],
  },
  {
    name: "unknown github tracker key",
    config: "tracker:\n  kind: github\n  lable: x\n",
    says: ["tracker.lable", 'did you mean "label"'],
  },
  {
    name: "unknown local tracker key",
    config: "tracker:\n  kind: local\n  pth: x\n",
    says: ["tracker.pth", 'did you mean "path"'],
  },
  {
    name: "unknown channel key",
    config: "channels:\n  - kind: npm\n    pakage: x\n",
    says: ["channels[0].pakage", 'did you mean "package"'],
  },
  {
    name: "unknown tracker template key",
    config: "tracker:\n  kind: local\n  templates: { epicTitel: x }\n",
    says: ["tracker.templates.epicTitel", 'did you mean "epicTitle"', "line 3"],
  },
  {
    name: "unknown key in a channel without options",
    config: "channels:\n  - { kind: homebrew, tap: x/y }\n",
    says: ["channels[0].tap", "known keys: kind"],
  },
  {
    name: "unknown bench key",
    config: "bench:\n  run: x\n  format: generic\n  rnus: 3\n",
    says: ["bench.rnus", 'did you mean "runs"'],
  },
  {
    name: "unknown github key",
    config: "github:\n  buildWorkflw: r.yml\n",
    says: ["github.buildWorkflw", 'did you mean "buildWorkflow"'],
  },
  {
    name: "unknown homebrew key",
    config: "homebrew:\n  tapRepoo: a/b\n",
    says: ["homebrew.tapRepoo", 'did you mean "tapRepo"'],
  },
  {
    name: "unknown `when` key",
    config: gate("    run: x\n    when: { chnged: ['src/**'] }\n"),
    says: ["gates[0].when.chnged", 'did you mean "changed"'],
  },
  {
    name: "unknown key far from any",
    config: "zzzzqqqq: 1\n",
    says: ["zzzzqqqq", "known keys: $schema, evidenceDir"],
  },
  {
    name: "unknown gate kind",
    config: gate("    kind: comand\n"),
    says: ["gates[0].kind", 'did you mean "command"', "one of: command, version-alignment"],
  },
  {
    name: "unknown tracker kind",
    config: "tracker: { kind: jira }\n",
    says: ["tracker.kind", "one of: local, ergo, github"],
  },
  {
    name: "unknown channel kind",
    config: "channels:\n  - kind: pipy\n",
    says: ["channels[0].kind", 'did you mean "pypi"'],
  },
  {
    name: "tracker without kind",
    config: "tracker: { label: x }\n",
    says: ["tracker.kind", "missing `kind`"],
  },
  // Values that are wrong for this repository.
  {
    name: "evidenceDir outside",
    config: "evidenceDir: ../outside\n",
    says: ["evidenceDir", "outside the repository"],
  },
  {
    name: "evidenceDir absolute elsewhere",
    config: "evidenceDir: /tmp/shipgate-elsewhere\n",
    says: ["evidenceDir", "outside the repository"],
  },
  {
    name: "evidenceDir the repository root",
    config: "evidenceDir: .\n",
    says: ["evidenceDir", "repository root itself"],
  },
  {
    name: "evidenceDir inside .git",
    config: "evidenceDir: .git/evidence\n",
    says: ["evidenceDir", "inside .git"],
  },
  {
    name: "evidenceDir through a link out",
    config: "evidenceDir: out-link/ev\n",
    says: ["evidenceDir", "symbolic link outside"],
  },
  {
    name: "evidenceDir under a file",
    config: "evidenceDir: notes.txt/ev\n",
    says: ["evidenceDir", "notes.txt is a file"],
  },
  {
    name: "gate cwd outside",
    config: gate("    run: x\n    cwd: ../x\n"),
    says: ["gates[0].cwd", "outside the repository", "line 4"],
  },
  {
    name: "gate cwd missing",
    config: gate("    run: x\n    cwd: nope\n"),
    says: ["gates[0].cwd", "does not exist"],
  },
  {
    name: "gate cwd a file",
    config: gate("    run: x\n    cwd: notes.txt\n"),
    says: ["gates[0].cwd", "not a directory"],
  },
  {
    name: "gate cwd absolute elsewhere",
    config: gate("    run: x\n    cwd: /tmp\n"),
    says: ["gates[0].cwd", "outside the repository"],
  },
  {
    name: "gate cwd through a link out",
    config: gate("    run: x\n    cwd: out-link\n"),
    says: ["gates[0].cwd", "symbolic link outside"],
  },
  {
    name: "manifest of an unknown file type",
    config: gate(
      "    kind: version-alignment\n    manifests:\n      - file: package.json\n      - file: VERSION\n",
    ),
    says: ["gates[0].manifests[1].file", "no version can be read"],
  },
  {
    name: "manifest without an inferable key",
    config: gate("    kind: version-alignment\n    manifests:\n      - file: Cargo.lock\n"),
    says: ["gates[0].manifests[0]", "no `key` given", "line 5"],
  },
  {
    name: "manifest outside the repository",
    config: gate("    kind: version-alignment\n    manifests:\n      - file: ../Cargo.toml\n"),
    says: ["gates[0].manifests[0].file", "outside the repository"],
  },
  {
    name: "artifact glob escaping",
    config: gate("    kind: licensing-notices\n    artifacts: ['dist/../../*.tgz']\n"),
    says: ["gates[0].artifacts[0]", '".."'],
  },
  {
    name: "absolute artifact glob",
    config: gate("    kind: licensing-notices\n    artifacts: ['/tmp/*.tgz']\n"),
    says: ["gates[0].artifacts[0]", "absolute"],
  },
  {
    name: "workflowsDir outside",
    config: gate(
      "    kind: workflow-contract\n    workflowsDir: ../wf\n    rules: [{ workflow: ci.yml, jobs: [b] }]\n",
    ),
    says: ["gates[0].workflowsDir", "outside the repository"],
  },
  {
    name: "workflow rule escaping",
    config: gate("    kind: workflow-contract\n    rules: [{ workflow: ../../ci.yml, jobs: [b] }]\n"),
    says: ["gates[0].rules[0].workflow", '".."'],
  },
  {
    name: "changelog outside",
    config: gate("    kind: changelog\n    file: ../CHANGELOG.md\n"),
    says: ["gates[0].file", "outside"],
  },
  {
    name: "local tracker log outside",
    config: "tracker: { kind: local, path: ../blockers.jsonl }\n",
    says: ["tracker.path", "outside"],
  },
  {
    name: "homebrew tap is this repository",
    config: "homebrew: { tapPath: . }\n",
    says: ["homebrew.tapPath", "this repository itself"],
  },
  {
    name: "homebrew formula escaping the tap",
    config: "homebrew: { formulaPath: ../x.rb }\n",
    says: ["homebrew.formulaPath", '".."'],
  },
  {
    name: "`when` glob escaping",
    config: gate("    run: x\n    when: { changed: ['../**'] }\n"),
    says: ["gates[0].when.changed[0]", '".."'],
  },
  { name: "wrong type", config: gate("    run: 3\n"), says: ["gates[0].run", "got number", "line 3"] },
  {
    name: "a number too large",
    config: gate("    run: x\n    timeout: 1e400\n"),
    says: ["gates[0].timeout", "not a usable number: Infinity"],
  },
  {
    name: "a path with surrounding spaces",
    config: 'evidenceDir: " .shipgate"\n',
    says: ["evidenceDir", "surrounding whitespace"],
  },
  {
    name: "several unknown keys",
    config: gate("    run: x\n    tiemout: 5\n    colour: red\n"),
    says: ['unknown keys "tiemout" (did you mean "timeout"?), "colour" (known keys: id, name'],
  },
  {
    name: "a gate without run",
    config: gate("    name: A\n"),
    says: ["gates[0].run", "missing (expected string or array)"],
  },
  {
    name: "bad duration",
    config: gate("    run: x\n    timeout: soon\n"),
    says: ["gates[0].timeout", "positive duration"],
  },
  { name: "bad tag pattern", config: "tagPattern: '^v(\\d+'\n", says: ["tagPattern", "regular expression"] },
  // Release inputs: taken exactly as given, never trimmed; checked against the repository's tags.
  {
    name: "target with a trailing newline",
    args: init({ "v0.3.0": "v0.4.0\n" }),
    says: ["--release-target", "newline"],
  },
  {
    name: "target with a leading space",
    args: init({ "v0.3.0": " v0.4.0" }),
    says: ["--release-target", "whitespace"],
  },
  {
    name: "target with look-alike dots",
    args: init({ "v0.3.0": "v0\u20244\u20240" }),
    says: ["--release-target", "U+2024"],
  },
  { name: "target with a Cyrillic letter", args: init({ "v0.3.0": "\u04750.4.0" }), says: ["U+0475"] },
  {
    name: "target with a zero-width space",
    args: init({ "v0.3.0": "v0.4.0\u200b" }),
    says: ["zero-width space"],
  },
  {
    name: "base tag with a trailing newline",
    args: init({ "v0.2.0": "v0.2.0\n" }),
    says: ["--base-tag", "newline"],
  },
  {
    name: "base tag with fullwidth digits",
    args: init({ "v0.2.0": "v\uff10.2.0" }),
    says: ["--base-tag", "U+FF10"],
  },
  { name: "agent with a space", args: init({ "tester@ci": "tester @ci" }), says: ["--agent", "model@host"] },
  {
    name: "agent with a control character",
    args: init({ "tester@ci": "tester@c\u0007i" }),
    says: ["--agent", "U+0007"],
  },
  {
    name: "mode with a trailing space",
    args: init({ "dry-run": "dry-run " }),
    says: ["--mode", "whitespace"],
  },
  {
    name: "mode prod",
    args: init({ "dry-run": "prod" }),
    says: ['--mode "prod" is not one of: dry-run, live'],
  },
  {
    name: "base tag none with earlier release tags",
    args: init({ "v0.3.0": "v0.4.0", "v0.2.0": "none" }),
    says: ["--base-tag none", "v0.2.0 (and 1 other older one)"],
    fix: ["shipgate", ...init({ "v0.3.0": "v0.4.0" })],
  },
  {
    name: "target already tagged at another commit",
    args: init({ "v0.3.0": "v0.2.0", "v0.2.0": "v0.1.0" }),
    says: ["tag v0.2.0 already exists in this repository", "never re-tagged"],
    fix: ["shipgate", ...init({ "v0.3.0": "v0.2.1" })],
  },
  {
    name: "target tagged on origin at another commit",
    args: init({ "v0.3.0": "v0.5.0" }),
    says: ["tag v0.5.0 already exists on origin", "never re-tagged"],
    // The next patch version's init, with the rest of the command line as given.
    fix: ["shipgate", ...init({ "v0.3.0": "v0.5.1", "v0.2.0": "v0.5.0" })],
  },
  {
    name: "a flag twice with different values",
    args: [...init({}), "--mode", "live"],
    says: ["--mode given twice", '"dry-run" and "live"'],
  },
  {
    name: "the target twice",
    args: ["status", "--release-target", "v0.3.0", "--release-target", "v0.4.0"],
    says: ["--release-target given twice"],
  },
  {
    name: "a global flag twice",
    args: ["config", "check", "--config", "a.yaml", "--config", "b.yaml"],
    says: ["--config given twice"],
  },
  { name: "--jobs 0", args: [...GATES, "--jobs", "0"], says: ['--jobs "0"'] },
  { name: "--jobs 1.5", args: [...GATES, "--jobs", "1.5"], says: ['--jobs "1.5"'] },
  { name: "--jobs abc", args: [...GATES, "--jobs", "abc"], says: ['--jobs "abc"'] },
  { name: "--jobs 1e3", args: [...GATES, "--jobs", "1e3"], says: ['--jobs "1e3"'] },
  { name: "--jobs -1", args: [...GATES, "--jobs", "-1"], says: ['--jobs "-1"'] },
  {
    name: "--runs 0x10",
    args: ["bench", "--release-target", "v0.3.0", "--runs", "0x10"],
    says: ['--runs "0x10"'],
  },
  { name: "--only naming nothing", args: [...GATES, "--only", " , "], says: ["--only names nothing"] },
  {
    name: "status target with a newline",
    args: ["status", "--release-target", "v0.3.0\n"],
    says: ["newline"],
  },
  {
    name: "versions target with a space",
    args: ["versions", "--release-target", "v0.3.0 "],
    says: ["whitespace"],
  },
  {
    name: "a mistyped option",
    args: ["init", "--release-targt", "v1.0.0"],
    says: ["unknown option '--release-targt'", "--release-target"],
  },
  { name: "a mistyped command", args: ["statuss"], says: ["unknown command 'statuss'", "status"] },
  {
    name: "an empty --cwd",
    args: ["status", "--cwd", "", "--release-target", "v0.3.0"],
    says: ['--cwd "" is not a directory'],
  },
  { name: "an empty --config", args: ["config", "check", "--config", ""], says: ["--config names no file"] },
  {
    name: "a flag contradicting the ledger only by a space",
    args: ["status", "--release-target", "v0.3.0", "--agent", "tester@ci "],
    says: ['"tester@ci "', "whitespace"],
  },
  {
    name: "--cwd naming nothing",
    args: ["status", "--cwd", "no/such/dir", "--release-target", "v0.3.0"],
    says: ["--cwd no/such/dir"],
  },
];

// Root reads any file whatever its mode, so an unreadable config can only be made for other users.
if (process.getuid?.() !== 0) {
  CASES.push({
    name: "unreadable config",
    files: { "shipgate.yaml": "unreadable" },
    says: ["shipgate.yaml: cannot be read: permission denied"],
  });
}

/** Every file under the evidence directory (ledger, logs, tracker log) with its hash. */
const program = buildProgram({ io: processIo(), argv: [] });

function recorded(dir: string): string {
  return listFilesRecursive(path.join(dir, ".shipgate"))
    .sort()
    .map((f) => `${path.relative(dir, f)} ${createHash("sha256").update(readFileSync(f)).digest("hex")}`)
    .join("\n");
}

const tagsOf = (dir: string) => execFileSync("git", ["tag", "--list"], { cwd: dir, encoding: "utf8" });

describe("malformed inputs", () => {
  let repo: TempRepo;
  let outside: string;
  let origin: string;
  let refused = 0;
  let tagsBefore = "";

  beforeAll(async () => {
    outside = tempDir("shipgate-outside-");
    repo = createRepo({
      "README.md": "demo\n",
      ".gitignore": ".shipgate/\nout-link\nnotes.txt\n",
      "shipgate.yaml": BASE_CONFIG,
    });
    const first = repo.git("rev-parse", "HEAD");
    repo.tag("v0.1.0");
    repo.write("src.txt", "one\n");
    repo.commit("feature");
    repo.tag("v0.2.0");
    repo.write("src.txt", "two\n");
    repo.commit("next feature");
    // origin holds a v0.5.0 that points at an old commit (someone released v0.5.0 from elsewhere).
    origin = tempDir("shipgate-origin-");
    execFileSync("git", ["init", "-q", "--bare", origin]);
    repo.git("remote", "add", "origin", origin);
    repo.git("push", "-q", "origin", "main");
    execFileSync("git", ["tag", "v0.5.0", first], { cwd: origin });
    symlinkSync(outside, path.join(repo.dir, "out-link"));
    writeFileSync(path.join(repo.dir, "notes.txt"), "a file\n");
    expect((await runCli(INIT, { cwd: repo.dir })).code).toBe(0);
    const filed = await runCli(
      ["blockers", "file", "--release-target", "v0.3.0", "--check", "ok", "--title", "t", "--summary", "s"],
      { cwd: repo.dir },
    );
    expect(filed.code).toBe(0);
    tagsBefore = tagsOf(repo.dir);
  });

  afterAll(() => {
    repo?.cleanup();
    rmSync(outside, { recursive: true, force: true });
    rmSync(origin, { recursive: true, force: true });
    console.log(`malformed inputs refused: ${refused} of ${CASES.length}`);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("refuses %s", async (_name, c) => {
    const dir = repo.dir;
    const created: string[] = [];
    if (c.config !== undefined || c.files) rmSync(path.join(dir, "shipgate.yaml"));
    if (c.config !== undefined) {
      writeFileSync(path.join(dir, "shipgate.yaml"), c.config);
      created.push("shipgate.yaml");
    }
    for (const [name, content] of Object.entries(c.files ?? {})) {
      const full = path.join(dir, name);
      if (content === "dir") mkdirSync(full);
      else if (content === "fifo") execFileSync("mkfifo", [full]);
      else if (content === "unreadable") writeFileSync(full, "gates: []\n", { mode: 0o000 });
      else writeFileSync(full, content);
      created.push(name);
    }
    const before = recorded(dir);
    try {
      const args = [...(c.args ?? GATES), "--json"];
      const res = await runCli(args, { cwd: dir });
      const lines = res.stderr.split("\n").filter((l) => l !== "");
      expect(res.code, res.stderr).toBe(2);
      expect(lines[0]).toMatch(/^shipgate: error: /);
      expect(lines.length, res.stderr).toBeLessThanOrEqual(2);
      if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
      // A config problem names the file and, unless it is about the whole file, where in it.
      if (c.config !== undefined) {
        expect(lines[0]).toContain("shipgate.yaml: ");
        if (!c.wholeFile) expect(lines[0]).toMatch(/\(line \d+, column \d+\)$/);
      }
      for (const s of c.says) {
        if (typeof s === "string") expect(lines[0]).toContain(s);
        else expect(lines[0]).toMatch(s);
      }
      const json = res.json<{
        ok: boolean;
        exitCode: number;
        error: string;
        next: { command: string[] } | null;
      }>();
      expect(json).toMatchObject({ ok: false, exitCode: 2 });
      expect(`shipgate: error: ${json.error}`).toBe(lines[0]);
      // Never null (null means nothing is left to do): the fix, or else the command's help.
      expect(json.next?.command).toEqual(c.fix ?? ["shipgate", ...commandPath(program, args), "--help"]);
      expect(recorded(dir)).toBe(before);
      refused++;
    } finally {
      for (const name of created) rmSync(path.join(dir, name), { recursive: true, force: true });
      writeFileSync(path.join(dir, "shipgate.yaml"), BASE_CONFIG);
    }
  });

  it("has at least 60 cases, and no refused command made or moved a tag", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(tagsOf(repo.dir)).toBe(tagsBefore);
  });
});

describe("what is checked but not refused", () => {
  it("the default evidence directory goes through the same checks as a configured one", () => {
    const dir = tempDir();
    const elsewhere = tempDir("shipgate-outside-");
    try {
      symlinkSync(elsewhere, path.join(dir, ".shipgate"));
      expect(() => parseConfig(path.join(dir, "shipgate.yaml"), "gates: []\n", { repoRoot: dir })).toThrow(
        /evidenceDir: "\.shipgate" leads through a symbolic link outside the repository/,
      );
      // Without a repository (pure parsing) only what the text alone shows is checked.
      expect(parseConfig("shipgate.yaml", "gates: []\n").evidenceDir).toBe(".shipgate");
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("init for a tag already at HEAD proceeds; an unreachable origin is reported, not refused", async () => {
    const repo = releaseRepo();
    try {
      repo.tag("v0.3.0");
      repo.git("remote", "add", "origin", path.join(repo.dir, "no-such-remote.git"));
      const res = await runCli([...INIT, "--json"], { cwd: repo.dir });
      expect(res.code, res.stderr).toBe(0);
      expect(res.json()).toMatchObject({
        action: "created",
        tagCheck: {
          local: "at-head",
          origin: "unreachable",
          note: expect.stringContaining("origin could not be asked"),
        },
      });
    } finally {
      repo.cleanup();
    }
  });
});
