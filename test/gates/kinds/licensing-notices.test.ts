import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  licensingNoticesGateSchema,
  licensingNoticesKind,
} from "../../../src/gates/kinds/licensing-notices.js";
import { writeTarGz, writeZip } from "../../helpers/archives.js";
import { createRepo, type TempRepo } from "../../helpers/repo.js";
import { gateContext } from "./context.js";

const gate = (artifacts: string[]) =>
  licensingNoticesGateSchema.parse({ id: "notices", kind: "licensing-notices", artifacts });
const NOTICES = { LICENSE: "MIT", "THIRD_PARTY_NOTICES.md": "# notices" };

describe("licensing-notices", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const dist = (name: string) => {
    mkdirSync(path.join(repo.dir, "dist"), { recursive: true });
    return path.join(repo.dir, "dist", name);
  };

  it("passes when the sdist, wheel, npm tarball and SDK archive all carry the notices", async () => {
    repo = createRepo({ "README.md": "x" });
    writeTarGz(dist("plasmite-1.2.0.tar.gz"), {
      "plasmite-1.2.0/LICENSE": "MIT",
      "plasmite-1.2.0/THIRD_PARTY_NOTICES.md": "n",
    });
    await writeZip(dist("plasmite-1.2.0-py3-none-any.whl"), {
      "plasmite/__init__.py": "",
      "plasmite-1.2.0.dist-info/licenses/LICENSE": "MIT",
      "plasmite-1.2.0.dist-info/licenses/THIRD_PARTY_NOTICES.md": "n",
    });
    writeTarGz(dist("plasmite-1.2.0.tgz"), {
      "package/LICENSE": "MIT",
      "package/THIRD_PARTY_NOTICES.md": "n",
    });
    writeTarGz(dist("plasmite_1.2.0_linux_amd64.tar.gz"), { "bin/plasmite": "", ...NOTICES });
    const outcome = await licensingNoticesKind.run(
      gate(["dist/*.tar.gz", "dist/*.whl", "dist/*.tgz"]),
      gateContext(repo.dir),
    );
    expect(outcome).toMatchObject({ status: "pass", summary: "4 archives carry the required notices" });
  });

  it("fails naming each archive and what it lacks", async () => {
    repo = createRepo({ "README.md": "x" });
    writeTarGz(dist("a.tgz"), { "package/LICENSE": "MIT" });
    await writeZip(dist("b.whl"), { "b/__init__.py": "" });
    const outcome = await licensingNoticesKind.run(gate(["dist/*"]), gateContext(repo.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toContain("dist/a.tgz lacks THIRD_PARTY_NOTICES.md");
    expect(outcome.summary).toContain("dist/b.whl lacks LICENSE, THIRD_PARTY_NOTICES.md");
  });

  it("fails on a malicious entry even when the notices are present, and extracts nothing", async () => {
    repo = createRepo({ "README.md": "x" });
    writeTarGz(dist("evil.tar.gz"), { ...NOTICES, "../../escape.sh": "rm -rf /" });
    await writeZip(dist("evil.zip"), { ...NOTICES, "/etc/cron.d/x": "boom" });
    const outcome = await licensingNoticesKind.run(gate(["dist/*"]), gateContext(repo.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toContain("dist/evil.tar.gz has unsafe entry ../../escape.sh");
    expect(outcome.summary).toContain("dist/evil.zip has unsafe entry /etc/cron.d/x");
    expect(repo.git("status", "--porcelain", "--untracked-files=all").split("\n").sort()).toEqual([
      "?? dist/evil.tar.gz",
      "?? dist/evil.zip",
    ]);
  });

  it("is incomplete when no artifact matches, and fails on a corrupt archive", async () => {
    repo = createRepo({ "README.md": "x" });
    expect(await licensingNoticesKind.run(gate(["dist/*.whl"]), gateContext(repo.dir))).toMatchObject({
      status: "incomplete",
      summary: expect.stringContaining("no artifact found for dist/*.whl"),
    });
    writeFileSync(dist("broken.whl"), "garbage");
    const corrupt = await licensingNoticesKind.run(gate(["dist/*.whl"]), gateContext(repo.dir));
    expect(corrupt.status).toBe("fail");
    expect(corrupt.summary).toMatch(/dist\/broken\.whl: unreadable zip archive/);
  });
});
