// The fault-injection suite: every answer shipgate depends on, broken every way it can break — GitHub and
// the registries answering 401, 403, 404, 5xx, a reset connection, too slowly, with HTML or a JSON of the
// wrong shape; ergo failing, printing garbage or breaking its contract; gate kinds fed broken inputs;
// archives and benchmark output corrupted. Not one case may end as a pass. The count is printed.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryWorld } from "../scripts/loopback/delivery.js";
import type { FaultSpec } from "../scripts/loopback/server.js";
import { listArchive } from "../src/artifacts/archive.js";
import { formats } from "../src/bench/formats/index.js";
import { findChannel } from "../src/channels/index.js";
import type { ChannelEntry } from "../src/channels/types.js";
import { checkChannels } from "../src/channels/verify-all.js";
import { parseConfig } from "../src/config/load.js";
import { configSchema } from "../src/config/schema.js";
import { resetRedactor } from "../src/evidence/redact.js";
import { executeGate } from "../src/gates/execute.js";
import { gateSchema } from "../src/gates/kinds/index.js";
import { MemoryLog } from "../src/gates/standalone.js";
import { runArtifactFiles } from "../src/github/artifacts.js";
import { githubFor } from "../src/github/client.js";
import { verifyProvenance } from "../src/github/provenance.js";
import { runSummary } from "../src/github/runs.js";
import { epicTasks, fileBlocker } from "../src/trackers/blockers.js";
import { createTracker } from "../src/trackers/index.js";
import { installFakeErgo } from "./helpers/fake-ergo.js";
import { createRepo, type TempRepo, tempDir } from "./helpers/repo.js";

/** One fault case's verdict: anything but a pass (an error thrown counts as not passing). */
type Verdict = "pass" | "live" | "fail" | "incomplete" | "missing" | "wrong" | "error";
const cases: { name: string; verdict: Verdict }[] = [];
const PASSING: ReadonlySet<Verdict> = new Set(["pass", "live"]);

async function verdictOf(run: () => Promise<Verdict | undefined>): Promise<Verdict> {
  try {
    return (await run()) ?? "pass";
  } catch (err) {
    // Anything thrown is a refusal; the class matters less than that it never reads as a pass.
    return (err as { name?: string }).name === "IncompleteError" ? "incomplete" : "error";
  }
}

async function inject(name: string, run: () => Promise<Verdict | undefined>): Promise<void> {
  const verdict = await verdictOf(run);
  cases.push({ name, verdict });
  expect(PASSING.has(verdict), `${name} ended as ${verdict}`).toBe(false);
}

const saved = { ...process.env };
afterAll(() => {
  process.env = { ...saved };
  const falsePasses = cases.filter((c) => PASSING.has(c.verdict)).length;
  console.log(`fault injection: ${cases.length} cases, ${falsePasses} false passes`);
});

// Faults an HTTP answer can have. A `slow` answer outlasts the client's timeout (set low below).
const HTTP_FAULTS: [string, FaultSpec][] = [
  ["401", { status: 401, body: { message: "Bad credentials" } }],
  ["403", { status: 403, body: { message: "Resource not accessible by integration" } }],
  ["404", { status: 404, body: { message: "Not Found" } }],
  ["500", { status: 500, body: { message: "Server Error" } }],
  ["502", { status: 502, body: "<html>Bad gateway</html>", html: true }],
  ["503", { status: 503, body: { message: "Service Unavailable" } }],
  ["reset", { reset: true }],
  ["slow", { delayMs: 400 }],
  ["HTML 200", { status: 200, html: true, body: "<!doctype html><title>Sign in</title>" }],
  ["{}", { status: 200, body: {} }],
  ['{"foo":1}', { status: 200, body: { foo: 1 } }],
  ["null", { status: 200, body: "null" }],
  ["wrong types", { status: 200, body: { number: "seven", title: 7, state: 3, html_url: null } }],
];

describe("GitHub answers", () => {
  const TOKEN = `ghp_${"Fault1nject".repeat(4)}`;
  let world: DeliveryWorld;
  let dir: string;
  beforeAll(async () => {
    world = await DeliveryWorld.start({ token: TOKEN, repo: "acme/widget" });
    world.gh.repo("acme/widget").addWorkflow({ path: "release.yml", name: "release" });
    dir = tempDir("shipgate-faults-");
    Object.assign(process.env, { GH_TOKEN: TOKEN, GITHUB_TOKEN: "", SHIPGATE_GITHUB_TIMEOUT_MS: "100" });
    resetRedactor();
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = () =>
    parseConfig("shipgate.yaml", `tracker: { kind: github, repo: acme/widget, apiUrl: "${world.gh.url}" }\n`);
  const release = { releaseTarget: "v0.3.0", baseTag: "v0.2.0", mode: "live" as const, agent: "t@ci" };
  const request = { check: "fmt", title: "fmt differs", summary: "run fmt" };

  const trackerOps: [string, string | RegExp, () => Promise<Verdict | undefined>][] = [
    [
      "file a blocker (listing fails)",
      "GET /repos/acme/widget/issues",
      async () => {
        await fileBlocker({ config: config(), repoRoot: dir, writer: null, release, request });
        return undefined;
      },
    ],
    [
      "file a blocker (creating fails)",
      "POST /repos/acme/widget/issues",
      async () => {
        await fileBlocker({ config: config(), repoRoot: dir, writer: null, release, request });
        return undefined;
      },
    ],
    [
      "list the epic's tasks",
      "GET /repos/acme/widget/issues",
      async () => {
        await epicTasks(config(), dir, release);
        return undefined;
      },
    ],
    [
      "close a task",
      "PATCH /repos/acme/widget/issues/*",
      async () => {
        world.gh.repo("acme/widget").addIssue({ title: "x", labels: ["release-blocker"] });
        await (await createTracker(config(), dir)).closeTask("1");
        return undefined;
      },
    ],
  ];
  it.each(
    trackerOps.flatMap(([op, route, run]) =>
      HTTP_FAULTS.map(([f, spec]) => [`tracker: ${op}: ${f}`, route, spec, run] as const),
    ),
  )("%s", async (name, route, spec, run) => {
    world.gh.clearFaults();
    world.gh.fail(route, spec);
    await inject(name, run);
    world.gh.clearFaults();
  });

  const gh = () =>
    githubFor(configSchema.parse({ github: { repo: "acme/widget", apiUrl: world.gh.url } }).github, dir);
  /** Provenance of a run, as pass or fail: the same check whichever of its requests the fault hits. */
  const provenanceOutcome = async (id: number): Promise<Verdict> => {
    const r = await verifyProvenance(await gh(), {
      runId: id,
      buildWorkflow: "release.yml",
      metadataArtifact: "release-metadata",
      expectTag: "v0.3.0",
      tagCommit: "a".repeat(40),
    });
    return r.problems.length === 0 ? "pass" : "fail";
  };
  const runOps: [string, string | RegExp, (runId: number) => Promise<Verdict | undefined>][] = [
    [
      "a run's summary",
      /\/actions\/runs\/\d+$/,
      async (id) => {
        await runSummary(await gh(), String(id));
        return undefined;
      },
    ],
    [
      "a run's jobs",
      /\/actions\/runs\/\d+\/jobs$/,
      async (id) => {
        await runSummary(await gh(), String(id));
        return undefined;
      },
    ],
    ["provenance (the run)", /\/actions\/runs\/\d+$/, provenanceOutcome],
    ["provenance (the artifacts)", /\/actions\/runs\/\d+\/artifacts$/, provenanceOutcome],
    [
      "an artifact's zip",
      /\/_blobs\//,
      async (id) => {
        await runArtifactFiles(await gh(), id, ["release-metadata"]);
        return undefined;
      },
    ],
  ];
  it.each(
    runOps.flatMap(([op, route, run]) =>
      HTTP_FAULTS.map(([f, spec]) => [`runs: ${op}: ${f}`, route, spec, run] as const),
    ),
  )("%s", async (name, route, spec, run) => {
    const metadata = {
      tag: "v0.3.0",
      version: "0.3.0",
      source_sha: "a".repeat(40),
      source_ref: "refs/tags/v0.3.0",
    };
    const runId = world.gh.repo("acme/widget").addRun({
      workflow: "release.yml",
      headSha: "a".repeat(40),
      headBranch: "v0.3.0",
      jobs: [{ name: "build", conclusion: "failure" }],
      artifacts: [{ name: "release-metadata", files: { "metadata.json": JSON.stringify(metadata) } }],
    }).id;
    world.gh.clearFaults();
    world.gh.fail(route, spec);
    await inject(name, () => run(runId));
    world.gh.clearFaults();
  });
});

describe("registry answers", () => {
  const TOKEN = `ghp_${"Reg1stryFault".repeat(3)}`;
  let world: DeliveryWorld;
  let dir: string;
  beforeAll(async () => {
    world = await DeliveryWorld.start({ token: TOKEN });
    world.publish("0.3.0");
    dir = tempDir("shipgate-faults-");
    Object.assign(process.env, { GH_TOKEN: TOKEN, GITHUB_TOKEN: "" });
    resetRedactor();
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const servers = () => ({
    "github-release": world.gh,
    npm: world.reg.npm,
    crates: world.reg.crates,
    pypi: world.reg.pypi,
    homebrew: world.gh,
    go: world.reg.goproxy,
  });
  const REGISTRY_FAULTS = HTTP_FAULTS.filter(([f]) => !["401", "403"].includes(f));
  it.each(
    (["github-release", "npm", "crates", "pypi", "homebrew", "go"] as const).flatMap((channel) =>
      REGISTRY_FAULTS.map(([f, spec]) => [`channel ${channel}: ${f}`, channel, spec] as const),
    ),
  )("%s", async (name, channel, spec) => {
    const server = servers()[channel];
    server.fail(/.*/, spec);
    await inject(name, async () => {
      const config = configSchema.parse(world.config([channel]));
      const jobs = config.channels.map((entry) => {
        const kind = findChannel(entry.kind);
        if (!kind) throw new Error(`no channel ${entry.kind}`);
        return { id: kind.id(entry as ChannelEntry), channel: kind, entry: entry as ChannelEntry };
      });
      const results = await checkChannels(jobs, {
        config,
        repoRoot: dir,
        tag: "v0.3.0",
        version: "0.3.0",
        dryRun: false,
        waitMs: 0,
        pollMs: 10,
        maxPollMs: 20,
        requestTimeoutMs: 100,
        logsDir: dir,
      });
      return [...results.values()][0]?.status as Verdict;
    });
    server.clearFaults();
  });
});

describe("ergo", () => {
  let repo: TempRepo;
  let stateFile: string;
  beforeAll(() => {
    repo = createRepo({ "README.md": "x\n" });
    const fake = installFakeErgo(path.join(repo.dir, ".git", "fake-ergo"));
    stateFile = fake.stateFile;
    process.env.PATH = `${fake.bin}:${saved.PATH}`;
    process.env.FAKE_ERGO_STATE = fake.stateFile;
    process.env.SHIPGATE_ERGO_TIMEOUT_MS = "250";
  });
  afterAll(() => repo.cleanup());
  const tracker = (command = "ergo") =>
    createTracker(parseConfig("shipgate.yaml", `tracker: { kind: ergo, command: ${command} }\n`), repo.dir);
  const OPS: [string, (t: Awaited<ReturnType<typeof tracker>>) => Promise<unknown>][] = [
    ["find the epic", (t) => t.findEpic("Release blockers: v0.3.0")],
    ["create the epic", (t) => t.createEpic("Release blockers: v0.3.0", "b")],
    ["list tasks", (t) => t.listTasks("E1")],
    ["create a task", (t) => t.createTask("E1", "t", "b")],
    ["close a task", (t) => t.closeTask("T1")],
  ];
  // Which operations each contract breach reaches (closing reads no answer but the exit code).
  const MODES: [string, string[]][] = [
    ["fail", ["find the epic", "create the epic", "list tasks", "create a task", "close a task"]],
    ["garbage", ["find the epic", "create the epic", "list tasks", "create a task", "close a task"]],
    ["two-values", ["find the epic", "create the epic", "list tasks", "create a task", "close a task"]],
    ["empty", ["find the epic", "create the epic", "list tasks", "create a task", "close a task"]],
    ["exit2", ["find the epic", "create the epic", "list tasks", "create a task", "close a task"]],
    ["slow", ["find the epic", "create the epic", "list tasks", "create a task", "close a task"]],
    ["null", ["find the epic", "create the epic", "list tasks", "create a task"]],
    ["wrong-shape", ["find the epic", "create the epic", "list tasks", "create a task"]],
    ["no-id", ["find the epic", "create the epic", "list tasks", "create a task"]],
    ["bad-state", ["list tasks"]],
  ];
  it.each(MODES.flatMap(([mode, ops]) => ops.map((op) => [`ergo ${mode}: ${op}`, mode, op] as const)))(
    "%s",
    async (name, mode, op) => {
      process.env.FAKE_ERGO_MODE = mode;
      const run = OPS.find(([o]) => o === op)?.[1];
      await inject(name, async () => {
        await run?.(await tracker());
        return undefined;
      });
      delete process.env.FAKE_ERGO_MODE;
      rmSync(stateFile, { force: true });
    },
  );
  it.each(OPS.map(([op, run]) => [`ergo missing: ${op}`, run] as const))("%s", async (name, run) => {
    await inject(name, async () => {
      await run(await tracker("ergo-is-not-installed-here"));
      return undefined;
    });
  });
});

describe("gate kinds fed broken inputs", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = createRepo({ "README.md": "x\n" });
    const w = (file: string, content: string | Buffer) => {
      mkdirSync(path.dirname(path.join(repo.dir, file)), { recursive: true });
      writeFileSync(path.join(repo.dir, file), content);
    };
    w("bad.toml", "[package\nversion = ");
    w("bad.json", '{"version": ');
    w("bad.yaml", "version: [1, 2\n");
    w("nokey.json", '{"name": "x"}');
    w("number.json", '{"version": 3}');
    w("Cargo.toml", '[package]\nname = "x"\nversion = "0.2.0"\n');
    w("dist/truncated.tar.gz", gzipSync(Buffer.from("not a tar at all")).subarray(0, 10));
    w("dist/random.tgz", Buffer.from("\x00\x01garbage bytes that are no archive"));
    w("dist/empty.zip", Buffer.alloc(0));
    w("dist/text.whl", "this is a wheel? no.");
    w("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n");
    w("binary.md", Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]));
    w(".github/workflows/broken.yml", "on: [push\njobs: {");
    w(".github/workflows/empty.yml", "");
    w("not-exec.sh", "#!/bin/sh\nexit 0\n");
    chmodSync(path.join(repo.dir, "not-exec.sh"), 0o644);
    mkdirSync(path.join(repo.dir, "dir.md"), { recursive: true });
  });
  afterAll(() => repo.cleanup());
  const GATES: [string, Record<string, unknown>][] = [
    ["command: missing tool", { id: "g", run: "true", requires: ["shipgate-missing-tool"] }],
    ["command: command not found", { id: "g", run: "shipgate-no-such-command --x" }],
    ["command: not executable", { id: "g", run: "./not-exec.sh" }],
    ["command: exits 1", { id: "g", run: "exit 1" }],
    ["command: killed by a signal", { id: "g", run: "kill -9 $$" }],
    ["command: timeout", { id: "g", run: "sleep 5", timeout: "300ms" }],
    ["command: second of two fails", { id: "g", run: ["true", "false"] }],
    ["command: missing cwd", { id: "g", run: "true", cwd: "no/such/dir" }],
    [
      "versions: missing file",
      { id: "g", kind: "version-alignment", manifests: [{ file: "gone/Cargo.toml" }] },
    ],
    [
      "versions: malformed TOML",
      { id: "g", kind: "version-alignment", manifests: [{ file: "bad.toml", key: "package.version" }] },
    ],
    [
      "versions: malformed JSON",
      { id: "g", kind: "version-alignment", manifests: [{ file: "bad.json", key: "version" }] },
    ],
    [
      "versions: malformed YAML",
      { id: "g", kind: "version-alignment", manifests: [{ file: "bad.yaml", key: "version" }] },
    ],
    [
      "versions: key missing",
      { id: "g", kind: "version-alignment", manifests: [{ file: "nokey.json", key: "version" }] },
    ],
    [
      "versions: not a string",
      { id: "g", kind: "version-alignment", manifests: [{ file: "number.json", key: "version" }] },
    ],
    [
      "versions: another version",
      { id: "g", kind: "version-alignment", manifests: [{ file: "Cargo.toml" }] },
    ],
    ["notices: no artifact", { id: "g", kind: "licensing-notices", artifacts: ["dist/*.none"] }],
    ["notices: truncated gzip", { id: "g", kind: "licensing-notices", artifacts: ["dist/truncated.tar.gz"] }],
    ["notices: random bytes", { id: "g", kind: "licensing-notices", artifacts: ["dist/random.tgz"] }],
    ["notices: empty zip", { id: "g", kind: "licensing-notices", artifacts: ["dist/empty.zip"] }],
    ["notices: text wheel", { id: "g", kind: "licensing-notices", artifacts: ["dist/text.whl"] }],
    ["changelog: missing file", { id: "g", kind: "changelog", file: "GONE.md" }],
    ["changelog: only unreleased", { id: "g", kind: "changelog", file: "CHANGELOG.md" }],
    ["changelog: binary file", { id: "g", kind: "changelog", file: "binary.md" }],
    ["changelog: a directory", { id: "g", kind: "changelog", file: "dir.md" }],
    ["git-state: dirty tree", { id: "g", kind: "git-state" }],
    [
      "contract: broken YAML",
      { id: "g", kind: "workflow-contract", rules: [{ workflow: "broken.yml", jobs: ["x"] }] },
    ],
    [
      "contract: empty workflow",
      { id: "g", kind: "workflow-contract", rules: [{ workflow: "empty.yml", triggers: ["push"] }] },
    ],
    [
      "contract: missing workflow",
      { id: "g", kind: "workflow-contract", rules: [{ workflow: "gone.yml", jobs: ["x"] }] },
    ],
    ["bench: no bench section", { id: "g", kind: "bench" }],
  ];
  it.each(GATES)("gate %s", async (name, raw) => {
    writeFileSync(path.join(repo.dir, "untracked.txt"), "dirty\n");
    const gate = gateSchema.parse(raw);
    const config = parseConfig("shipgate.yaml", "gates: []\n");
    await inject(`gate ${name}`, async () => {
      const outcome = await executeGate(gate, {
        config,
        repoRoot: repo.dir,
        release: { releaseTarget: "v1.2.0", baseTag: "none", mode: "dry-run", agent: "t@ci" },
        changedFiles: [],
        targetDir: repo.dir,
        log: new MemoryLog(),
        signal: new AbortController().signal,
      });
      return outcome.status as Verdict;
    });
  });
});

describe("archives and benchmark output", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("shipgate-faults-");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ARCHIVES: [string, Buffer | string][] = [
    ["empty.tar.gz", Buffer.alloc(0)],
    ["zeros.tar.gz", gzipSync(Buffer.alloc(2048))],
    ["text.tgz", "hello"],
    ["half.tar.gz", gzipSync(Buffer.alloc(4096, 0x41)).subarray(0, 20)],
    ["empty.zip", Buffer.alloc(0)],
    ["garbage.zip", "PK\x03\x04garbage"],
    ["text.whl", "not a zip"],
    ["eocd-only.zip", Buffer.from([0x50, 0x4b, 0x05, 0x06, ...Array(18).fill(0xff)])],
  ];
  it.each(ARCHIVES)("archive %s", async (name, content) => {
    writeFileSync(path.join(dir, name), content);
    await inject(`archive ${name}`, async () => {
      const listing = await listArchive(path.join(dir, name));
      return listing.entries.length > 0 && listing.unsafe.length === 0 ? "pass" : "fail";
    });
  });
  const OUTPUTS = [
    "",
    "   ",
    "{ not json",
    "null",
    "[]",
    '{"results": []}',
    '{"results": {}}',
    '{"results": [null]}',
    '{"results": [{"x": 1}]}',
    '{"results": [{"bench": "a", "scenario": "a", "command": "a", "ms_per_msg": -1, "median": -1, "value": -1}]}',
    '{"results": [{"bench": "a", "scenario": "a", "command": "a", "ms_per_msg": "1", "median": "1", "value": "1"}]}',
  ];
  it.each(
    formats.flatMap((f) => OUTPUTS.map((o) => [`bench ${f.name}: ${JSON.stringify(o)}`, f.name, o] as const)),
  )("%s", async (name, format, output) => {
    const f = formats.find((x) => x.name === format);
    await inject(name, async () => (f?.parse(output, f.defaultMetric).length ? "pass" : "fail"));
  });
});
