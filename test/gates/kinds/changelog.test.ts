import { afterEach, describe, expect, it } from "vitest";
import { changelogGateSchema, changelogKind, changelogOutcome } from "../../../src/gates/kinds/changelog.js";
import { createRepo, type TempRepo } from "../../helpers/repo.js";
import { gateContext } from "./context.js";

describe("changelog", () => {
  it.each([
    ["## [1.2.0] - 2026-11-20", "pass"],
    ["## [v1.2.0] - 2026-11-20", "pass"],
    ["## 1.2.0 - 2026-11-20", "pass"],
    ["## [1.2.0] – 2026-11-20", "pass"],
    ["## [1.2.0]", "fail"],
    ["## [1.2.0] - 2026-02-30", "fail"],
    ["## [1.2.0] - someday", "fail"],
    ["## [1.2.1] - 2026-11-20", "fail"],
    ["## [Unreleased]", "fail"],
    ["### [1.2.0] - 2026-11-20", "fail"],
  ])("%s -> %s", (heading, status) => {
    expect(changelogOutcome(`# Changelog\n\n${heading}\n\n- change\n`, "1.2.0", "CHANGELOG.md").status).toBe(
      status,
    );
  });

  it("says so when only [Unreleased] exists", () => {
    expect(changelogOutcome("## [Unreleased]\n- x\n", "1.2.0", "CHANGELOG.md").summary).toContain(
      "only [Unreleased]",
    );
  });

  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  it("reads the configured file and fails naming a missing one", async () => {
    repo = createRepo({ "docs/CHANGES.md": "## [1.2.0] - 2026-01-02\n" });
    const ok = await changelogKind.run(
      changelogGateSchema.parse({ id: "c", kind: "changelog", file: "docs/CHANGES.md" }),
      gateContext(repo.dir),
    );
    expect(ok.status).toBe("pass");
    const missing = await changelogKind.run(
      changelogGateSchema.parse({ id: "c", kind: "changelog" }),
      gateContext(repo.dir),
    );
    expect(missing).toMatchObject({ status: "fail", summary: "CHANGELOG.md does not exist" });
  });
});
