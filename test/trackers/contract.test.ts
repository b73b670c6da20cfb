// One contract, three adapters: the local log, ergo (through a stand-in speaking its JSON contract) and
// GitHub Issues (through the loopback GitHub). Each must find what it created, keep epics' tasks apart
// (epic #1 and epic #12 included), close tasks, and file a blocker idempotently through fileBlocker.
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../../scripts/loopback/github.js";
import { parseConfig } from "../../src/config/load.js";
import type { ShipgateConfig } from "../../src/config/schema.js";
import { fileBlocker } from "../../src/trackers/blockers.js";
import { createTracker } from "../../src/trackers/index.js";
import type { Tracker } from "../../src/trackers/types.js";
import { installFakeErgo } from "../helpers/fake-ergo.js";
import { tempDir } from "../helpers/repo.js";

const TOKEN = `ghp_${"C0ntract".repeat(5)}`;
const release = { releaseTarget: "v0.3.0", baseTag: "v0.2.0", mode: "live" as const, agent: "t@ci" };
let gh: GitHubStandIn;
const savedEnv = { ...process.env };

beforeAll(async () => {
  gh = await startGitHubStandIn({ token: TOKEN, repos: ["acme/widget"] });
});
afterAll(async () => {
  await gh.close();
});
afterEach(() => {
  process.env = { ...savedEnv };
});

interface Adapter {
  name: string;
  make(): Promise<{ tracker: Tracker; config: ShipgateConfig; dir: string }>;
}

const adapters: Adapter[] = [
  {
    name: "local",
    async make() {
      const dir = tempDir("shipgate-contract-");
      const config = parseConfig("shipgate.yaml", "tracker: { kind: local }\n");
      return { tracker: await createTracker(config, dir), config, dir };
    },
  },
  {
    name: "ergo",
    async make() {
      const dir = tempDir("shipgate-contract-");
      const fake = installFakeErgo(dir);
      process.env.PATH = `${fake.bin}:${savedEnv.PATH}`;
      process.env.FAKE_ERGO_STATE = fake.stateFile;
      const config = parseConfig("shipgate.yaml", "tracker: { kind: ergo }\n");
      return { tracker: await createTracker(config, dir), config, dir };
    },
  },
  {
    name: "github",
    async make() {
      const dir = tempDir("shipgate-contract-");
      const slug = `acme/c${Math.random().toString(36).slice(2, 8)}`;
      gh.addRepo(slug);
      process.env.GH_TOKEN = TOKEN;
      const config = parseConfig(
        "shipgate.yaml",
        `tracker: { kind: github, repo: ${slug}, apiUrl: "${gh.url}" }\n`,
      );
      return { tracker: await createTracker(config, dir), config, dir };
    },
  },
];

describe.each(adapters)("tracker contract: $name", (adapter) => {
  it("finds the epic it created, lists, closes and separates tasks by epic (#1 vs #12)", async () => {
    const { tracker } = await adapter.make();
    expect(await tracker.findEpic("Release blockers: v9.9.9")).toBeNull();
    const first = await tracker.createEpic("Release blockers: v9.9.9", "epic body");
    expect((await tracker.findEpic("Release blockers: v9.9.9"))?.id).toBe(first.id);
    // Ten tasks push the numbering past 10, so the second epic's id extends the first one's digits.
    const tasks: { id: string }[] = [];
    for (let i = 0; i < 10; i++) tasks.push(await tracker.createTask(first.id, `task ${i}`, "body"));
    const second = await tracker.createEpic("Release blockers: v9.9.10", "epic body");
    const other = await tracker.createTask(second.id, "other epic's task", "body");
    if (adapter.name === "github") {
      expect(first.id).toBe("1");
      expect(second.id).toBe("12");
    }
    const listed = await tracker.listTasks(first.id);
    expect(listed.map((t) => t.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    expect(listed.every((t) => t.open)).toBe(true);
    expect((await tracker.listTasks(second.id)).map((t) => t.id)).toEqual([other.id]);

    await tracker.closeTask(tasks[3]?.id as string);
    const after = await tracker.listTasks(first.id);
    expect(after.find((t) => t.id === tasks[3]?.id)?.open).toBe(false);
    expect(after.filter((t) => t.open)).toHaveLength(9);
  });

  it("files the same blocker three times as one epic and one open task", async () => {
    const { tracker, config, dir } = await adapter.make();
    const request = { check: "fmt", title: "cargo fmt differs", summary: "run cargo fmt" };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const filed = await fileBlocker({ config, repoRoot: dir, writer: null, release, request, tracker });
      ids.push(filed.id);
      expect(filed.dryRun).toBe(false);
    }
    expect(new Set(ids).size).toBe(1);
    const epic = await tracker.findEpic("Release blockers: v0.3.0");
    const open = (await tracker.listTasks(epic?.id as string)).filter((t) => t.open);
    expect(open.map((t) => t.title)).toEqual(["[release-blocker][v0.3.0] cargo fmt differs"]);
    expect(path.isAbsolute(dir)).toBe(true);
  });
});
