// `shipgate notices` through the built CLI: 0 all archives carry the notices, 1 missing or unsafe,
// 3 no artifact found, 2 no licensing-notices gate.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeTarGz, writeZip } from "../helpers/archives.js";
import { runCli } from "../helpers/cli.js";
import { createRepo, type TempRepo } from "../helpers/repo.js";

const CONFIG = "gates:\n  - { id: n, kind: licensing-notices, artifacts: ['dist/*.tgz', 'dist/*.whl'] }\n";
const NOTICES = { "package/LICENSE": "MIT", "package/THIRD_PARTY_NOTICES.md": "n" };

describe("shipgate notices", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const notices = (...args: string[]) => runCli(["notices", ...args], { cwd: repo.dir });
  const dist = (name: string) => {
    mkdirSync(path.join(repo.dir, "dist"), { recursive: true });
    return path.join(repo.dir, "dist", name);
  };

  it("exits 3 with no artifact, 1 when one lacks a notice, 0 when all carry them", async () => {
    repo = createRepo({ "shipgate.yaml": CONFIG });
    const none = await notices("--json");
    expect(none.code).toBe(3);
    expect(none.json()).toMatchObject({
      ok: false,
      exitCode: 3,
      gates: [
        {
          id: "n",
          status: "incomplete",
          summary: "no artifact found for dist/*.tgz, dist/*.whl: nothing to check",
        },
      ],
    });
    writeTarGz(dist("p.tgz"), { "package/LICENSE": "MIT" });
    const lacking = await notices("--json");
    expect(lacking.code).toBe(1);
    expect(lacking.json()).toMatchObject({
      gates: [{ id: "n", status: "fail", summary: "dist/p.tgz lacks THIRD_PARTY_NOTICES.md" }],
    });
    writeTarGz(dist("p.tgz"), NOTICES);
    await writeZip(dist("p-1.0-py3-none-any.whl"), {
      "p-1.0.dist-info/licenses/LICENSE": "MIT",
      "p-1.0.dist-info/licenses/THIRD_PARTY_NOTICES.md": "n",
    });
    const ok = await notices();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("pass n: 2 archives carry the required notices\n");
  });

  it("exits 1 on malicious entries in a tar and a zip, and on a corrupt archive", async () => {
    repo = createRepo({ "shipgate.yaml": CONFIG });
    writeTarGz(dist("evil.tgz"), { ...NOTICES, "../evil": "x" });
    await writeZip(dist("evil.whl"), { ...NOTICES, "/etc/passwd": "x" });
    const evil = await notices("--json");
    expect(evil.code).toBe(1);
    const summary = evil.json<{ gates: { summary: string }[] }>().gates[0]?.summary;
    expect(summary).toBe(
      "dist/evil.tgz has unsafe entry ../evil (`..` in path); dist/evil.whl has unsafe entry /etc/passwd (absolute path)",
    );
    writeTarGz(dist("evil.tgz"), NOTICES);
    writeFileSync(dist("evil.whl"), "PK\u0003\u0004 truncated");
    const corrupt = await notices();
    expect(corrupt.code).toBe(1);
    expect(corrupt.stdout).toMatch(/^fail n: dist\/evil\.whl: unreadable zip archive: /);
  });

  it("exits 2 when the config has no licensing-notices gate", async () => {
    repo = createRepo({ "shipgate.yaml": "gates: []\n" });
    const res = await notices("--json");
    expect(res.code).toBe(2);
    expect(res.json()).toMatchObject({
      ok: false,
      exitCode: 2,
      error: "the config has no gate of kind licensing-notices",
    });
  });
});
