// Test helper: a real git repository with two release tags, a config and a commit after the last tag.
import { createRepo, type TempRepo } from "./repo.js";

/** v0.1.0 and v0.2.0 tagged, one more commit on top; `config` is written as shipgate.yaml. */
export function releaseRepo(config = "gates: []\n"): TempRepo {
  const repo = createRepo({ "README.md": "demo\n", ".gitignore": ".shipgate/\n", "shipgate.yaml": config });
  repo.tag("v0.1.0");
  repo.write("src.txt", "one\n");
  repo.commit("feature");
  repo.tag("v0.2.0");
  repo.write("src.txt", "two\n");
  repo.commit("next feature");
  return repo;
}

export const INIT = [
  "init",
  "--release-target",
  "v0.3.0",
  "--base-tag",
  "v0.2.0",
  "--mode",
  "dry-run",
  "--agent",
  "tester@ci",
];
