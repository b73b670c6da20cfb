// The one list of trackers, chosen by `tracker.kind`.
import path from "node:path";
import type { ShipgateConfig } from "../config/schema.js";
import { githubFor } from "../github/client.js";
import { ErgoTracker } from "./ergo.js";
import { GitHubTracker } from "./github.js";
import { LocalTracker } from "./local.js";
import type { Tracker } from "./types.js";

type Factories = {
  [K in ShipgateConfig["tracker"]["kind"]]: (
    config: Extract<ShipgateConfig["tracker"], { kind: K }>,
    all: ShipgateConfig,
    repoRoot: string,
  ) => Promise<Tracker>;
};

const trackers: Factories = {
  // Beside the ledgers by default, so it is ignored wherever they are.
  local: async (t, all, repoRoot) =>
    new LocalTracker(path.resolve(repoRoot, t.path ?? path.join(all.evidenceDir, "blockers.jsonl"))),
  ergo: async (t, _all, repoRoot) => new ErgoTracker(t.command, repoRoot),
  github: async (t, all, repoRoot) =>
    new GitHubTracker(await githubFor(all, repoRoot, { repo: t.repo, apiUrl: t.apiUrl }), t.label),
};

export async function createTracker(config: ShipgateConfig, repoRoot: string): Promise<Tracker> {
  const t = config.tracker;
  const make = trackers[t.kind] as (c: typeof t, all: ShipgateConfig, root: string) => Promise<Tracker>;
  return make(t, config, repoRoot);
}
