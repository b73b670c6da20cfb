// Shared blocker logic: template overrides, snippet capping. (Release refusal: test/pipeline/tag.test.ts.)

import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { capSnippet, composeBlocker } from "../../src/trackers/blockers.js";
import { tempDir } from "../helpers/repo.js";

const release = { releaseTarget: "v2.0.0", baseTag: "v1.9.0", mode: "live" as const, agent: "claude@ci" };

describe("blockers", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("uses template overrides from the config", () => {
    dir = tempDir();
    const config = parseConfig(
      "shipgate.yaml",
      "tracker:\n  kind: local\n  templates:\n    epicTitle: 'Blockers for {target}'\n    taskTitle: '{target}: {title} ({check})'\n    taskBody: 'Fix {check}. Rerun: {rerun}'\n",
    );
    const text = composeBlocker(config, release, { check: "fmt", title: "format", summary: "s" });
    expect(text.epicTitle).toBe("Blockers for v2.0.0");
    expect(text.taskTitle).toBe("v2.0.0: format (fmt)");
    expect(text.taskBody).toBe("Fix fmt. Rerun: shipgate gates --release-target v2.0.0 --only fmt");
    expect(text.epicBody).toContain("## Consult Me\n- claude@ci (live)");
  });

  it("caps a log snippet to its first lines and characters", () => {
    dir = tempDir();
    const long = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    expect(capSnippet(long).split("\n")).toHaveLength(20);
    expect(capSnippet("x".repeat(5000)).length).toBeLessThanOrEqual(2001);
  });
});
