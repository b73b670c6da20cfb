// Test helper: a real git repository with two release tags, a config and a commit after the last tag.
import { repoWithHistory, type TempRepo } from "./repo.js";

/** v0.1.0 and v0.2.0 tagged, one more commit on top; `config` is written as shipgate.yaml. */
export function releaseRepo(config = "gates: []\n"): TempRepo {
  return repoWithHistory([
    {
      message: "initial",
      files: { "README.md": "demo\n", ".gitignore": ".shipgate/\n", "shipgate.yaml": config },
      tag: "v0.1.0",
    },
    { message: "feature", files: { "src.txt": "one\n" }, tag: "v0.2.0" },
    { message: "next feature", files: { "src.txt": "two\n" } },
  ]);
}

/** `shipgate init` for v0.3.0 on base v0.2.0 in the given mode. */
export function initArgs(mode: "dry-run" | "live" = "dry-run"): string[] {
  return [
    "init",
    "--release-target",
    "v0.3.0",
    "--base-tag",
    "v0.2.0",
    "--mode",
    mode,
    "--agent",
    "tester@ci",
  ];
}

export const INIT = initArgs();

/** `shipgate blockers file` for v0.3.0: a publish-run blocker, as a workflow failure would file it. */
export const FILE_PUBLISH_BLOCKER = [
  "blockers",
  "file",
  "--release-target",
  "v0.3.0",
  "--check",
  "publish",
  "--title",
  "publish run failed",
  "--summary",
  "npm publish failed",
];
