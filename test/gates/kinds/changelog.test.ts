import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { changelogGateSchema, changelogKind, changelogOutcome } from "../../../src/gates/kinds/changelog.js";
import { createRepo, type TempRepo } from "../../helpers/repo.js";
import { gateContext } from "./context.js";

describe("changelog", () => {
  it.each([
    ["## [1.2.0] - 2026-11-20", "pass"],
    ["## [v1.2.0] - 2026-11-20", "pass"],
    ["## 1.2.0 - 2026-11-20", "pass"],
    ["## v1.2.0 - 2026-11-20", "pass"],
    ["## [1.2.0] – 2026-11-20", "pass"],
    ["## [1.2.0] — 2026-11-20", "pass"],
    ["## [1.2.0] - 2026-11-20 (yanked)", "pass"],
    ["## [1.2.0](https://github.com/o/r/compare/v1.1.0...v1.2.0) (2026-11-20)", "pass"],
    ["## [1.2.0]", "fail"],
    ["## [1.2.0] - 2026-02-30", "fail"],
    ["## [1.2.0] - 2026-13-01", "fail"],
    ["## [1.2.0] - someday", "fail"],
    ["## [1.2.0] 2026-11-20", "fail"],
    ["## [1.2.1] - 2026-11-20", "fail"],
    ["## [1.2.0-rc.1] - 2026-11-20", "fail"],
    ["## [11.2.0] - 2026-11-20", "fail"],
    ["## [1.2.0.1] - 2026-11-20", "fail"],
    ["## [Unreleased]", "fail"],
    ["### [1.2.0] - 2026-11-20", "fail"],
    ["# [1.2.0] - 2026-11-20", "fail"],
  ])("%s -> %s", async (heading, status) => {
    expect(
      (await changelogOutcome(`# Changelog\n\n${heading}\n\n- change\n`, "1.2.0", "CHANGELOG.md")).status,
    ).toBe(status);
  });

  it.each([
    ["inside a fenced code block", "```markdown\n## [1.2.0] - 2026-11-20\n```\n"],
    ["inside a tilde fence", "~~~\n## [1.2.0] - 2026-11-20\n~~~\n"],
    ["indented as code", "    ## [1.2.0] - 2026-11-20\n"],
    ["inside an HTML comment", "<!--\n## [1.2.0] - 2026-11-20\n-->\n"],
    ["inside a block quote", "> ## [1.2.0] - 2026-11-20\n"],
  ])("a section %s is not a section", async (_where, body) => {
    const text = `# Changelog\n\n## [1.1.0] - 2026-01-01\n\n${body}`;
    expect((await changelogOutcome(text, "1.2.0", "CHANGELOG.md")).status).toBe("fail");
  });

  it("says what is wrong: only [Unreleased], no date, or an impossible date", async () => {
    expect(
      (await changelogOutcome("## [Unreleased]\n- x\n## [1.1.0] - 2026-01-01\n", "1.2.0", "C.md")).summary,
    ).toBe("C.md has no section for 1.2.0 (only [Unreleased]: rename it to [1.2.0] - <date>)");
    expect((await changelogOutcome("## [1.1.0] - 2026-01-01\n", "1.2.0", "C.md")).summary).toBe(
      "C.md has no section for 1.2.0",
    );
    expect((await changelogOutcome("## [Unreleased]\n## [1.2.0]\n- x\n", "1.2.0", "C.md")).summary).toBe(
      'C.md: the 1.2.0 section has no date (expected "## [1.2.0] - YYYY-MM-DD")',
    );
    expect((await changelogOutcome("## [1.2.0] - 2026-02-29\n", "1.2.0", "C.md")).summary).toBe(
      "C.md: the 1.2.0 section's date 2026-02-29 is not a calendar date",
    );
    expect(await changelogOutcome("## [1.2.0] - 2028-02-29\r\n- leap\r\n", "1.2.0", "C.md")).toMatchObject({
      status: "pass",
      summary: "C.md has the 1.2.0 section dated 2028-02-29",
    });
  });

  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  it("reads the configured file, and fails naming a missing or unreadable one", async () => {
    repo = createRepo({
      "docs/CHANGES.md": "# Changes\n\n## [Unreleased]\n\n## [1.2.0] - 2026-01-02\n- x\n",
    });
    const ok = await changelogKind.run(
      changelogGateSchema.parse({ id: "c", kind: "changelog", file: "docs/CHANGES.md" }),
      gateContext(repo.dir),
    );
    expect(ok).toMatchObject({
      status: "pass",
      summary: "docs/CHANGES.md has the 1.2.0 section dated 2026-01-02",
    });
    const missing = await changelogKind.run(
      changelogGateSchema.parse({ id: "c", kind: "changelog" }),
      gateContext(repo.dir),
    );
    expect(missing).toMatchObject({ status: "fail", summary: "CHANGELOG.md does not exist" });
    mkdirSync(path.join(repo.dir, "CHANGELOG.md"));
    const unreadable = await changelogKind.run(
      changelogGateSchema.parse({ id: "c", kind: "changelog" }),
      gateContext(repo.dir),
    );
    expect(unreadable).toMatchObject({
      status: "fail",
      summary: expect.stringMatching(/^CHANGELOG\.md cannot be read: EISDIR/),
    });
  });
});
