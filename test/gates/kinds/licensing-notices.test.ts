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

const gate = (artifacts: string[], require?: string[]) =>
  licensingNoticesGateSchema.parse({ id: "notices", kind: "licensing-notices", artifacts, require });
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
    expect(outcome.details).toMatchObject({
      files: [
        "dist/plasmite-1.2.0-py3-none-any.whl",
        "dist/plasmite-1.2.0.tar.gz",
        "dist/plasmite-1.2.0.tgz",
        "dist/plasmite_1.2.0_linux_amd64.tar.gz",
      ],
    });
  });

  it("fails naming each archive and what it lacks; names match exactly, and directories never count", async () => {
    repo = createRepo({ "README.md": "x" });
    writeTarGz(dist("a.tgz"), { "package/LICENSE": "MIT", "package/THIRD_PARTY_NOTICES.md/x": "" });
    await writeZip(dist("b.whl"), { "b/__init__.py": "", "b-1.0.dist-info/LICENSE.txt": "MIT" });
    const outcome = await licensingNoticesKind.run(gate(["dist/*"]), gateContext(repo.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toBe(
      "dist/a.tgz lacks THIRD_PARTY_NOTICES.md; dist/b.whl lacks LICENSE, THIRD_PARTY_NOTICES.md",
    );
  });

  it("accepts variants through a glob, and a path form for wheel metadata", async () => {
    repo = createRepo({ "README.md": "x" });
    await writeZip(dist("b-1.0-py3-none-any.whl"), {
      "b-1.0.dist-info/licenses/LICENSE.txt": "MIT",
      "b/NOTICE": "n",
    });
    const variants = gate(["dist/*.whl"], ["LICENSE{,.md,.txt}", "*.dist-info/licenses/LICENSE*"]);
    expect((await licensingNoticesKind.run(variants, gateContext(repo.dir))).status).toBe("pass");
    const wrongDir = gate(["dist/*.whl"], ["*.dist-info/licenses/NOTICE"]);
    expect(await licensingNoticesKind.run(wrongDir, gateContext(repo.dir))).toMatchObject({
      status: "fail",
      summary: "dist/b-1.0-py3-none-any.whl lacks *.dist-info/licenses/NOTICE",
    });
  });

  it("fails on malicious entries even when the notices are present, and extracts nothing", async () => {
    repo = createRepo({ "README.md": "x" });
    writeTarGz(dist("evil.tar.gz"), { ...NOTICES, "../evil": "rm -rf /", "/etc/passwd": "root::0:0" });
    await writeZip(dist("evil.zip"), { ...NOTICES, "../evil": "x", "/etc/passwd": "boom" });
    const outcome = await licensingNoticesKind.run(gate(["dist/*"]), gateContext(repo.dir));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toBe(
      "dist/evil.tar.gz has unsafe entries ../evil (`..` in path), /etc/passwd (absolute path); " +
        "dist/evil.zip has unsafe entries ../evil (`..` in path), /etc/passwd (absolute path)",
    );
    expect(repo.git("status", "--porcelain", "--untracked-files=all").split("\n").sort()).toEqual([
      "?? dist/evil.tar.gz",
      "?? dist/evil.zip",
    ]);
  });

  it("is incomplete when nothing matches (non-archives do not count), and fails on a corrupt archive", async () => {
    repo = createRepo({ "README.md": "x" });
    expect(await licensingNoticesKind.run(gate(["dist/*.whl"]), gateContext(repo.dir))).toMatchObject({
      status: "incomplete",
      summary: "no artifact found for dist/*.whl: nothing to check",
    });
    writeFileSync(dist("notes.txt"), "not an archive");
    expect(await licensingNoticesKind.run(gate(["dist/*"]), gateContext(repo.dir))).toMatchObject({
      status: "incomplete",
      summary: "no artifact found for dist/*: nothing to check (1 non-archive file(s) ignored)",
    });
    writeFileSync(dist("broken.whl"), "garbage");
    writeFileSync(dist("broken.tgz"), "garbage");
    writeTarGz(dist("good.tgz"), { "package/LICENSE": "x", "package/THIRD_PARTY_NOTICES.md": "n" });
    const corrupt = await licensingNoticesKind.run(gate(["dist/*"]), gateContext(repo.dir));
    expect(corrupt.status).toBe("fail");
    expect(corrupt.summary).toMatch(
      /^dist\/broken\.tgz: (unreadable|damaged|empty).*tar archive.*; dist\/broken\.whl: unreadable zip archive: /,
    );
  });

  it("is incomplete when interrupted before every archive was read", async () => {
    repo = createRepo({ "README.md": "x" });
    writeTarGz(dist("a.tgz"), { ...NOTICES });
    const ctx = gateContext(repo.dir);
    const controller = new AbortController();
    controller.abort();
    const outcome = await licensingNoticesKind.run(gate(["dist/*"]), { ...ctx, signal: controller.signal });
    expect(outcome).toMatchObject({ status: "incomplete", summary: "interrupted after 0 archive(s)" });
  });

  it("counts only regular files: a symlink, a directory or a dangling link named LICENSE is no licence", async () => {
    repo = createRepo({ "README.md": "x" });
    writeTarGz(dist("dangling.tar.gz"), {
      LICENSE: { symlink: "../nowhere/LICENSE" },
      "THIRD_PARTY_NOTICES.md": "n",
    });
    writeTarGz(dist("linked.tar.gz"), {
      COPYING: "MIT",
      LICENSE: { symlink: "COPYING" },
      "THIRD_PARTY_NOTICES.md": "n",
    });
    writeTarGz(dist("dir.tar.gz"), { "LICENSE/": { directory: true }, "THIRD_PARTY_NOTICES.md": "n" });
    await writeZip(dist("link.whl"), { LICENSE: { symlink: "/etc/passwd" }, "THIRD_PARTY_NOTICES.md": "n" });
    const ctx = gateContext(repo.dir);
    const bad = await licensingNoticesKind.run(gate(["dist/*"]), ctx);
    expect(bad.status).toBe("fail");
    for (const name of ["dangling.tar.gz", "linked.tar.gz", "dir.tar.gz", "link.whl"])
      expect(bad.summary).toContain(`dist/${name} lacks LICENSE`);

    // A tar hard link to a regular file in the same archive is that file's content: it counts.
    repo.cleanup();
    repo = createRepo({ "README.md": "x" });
    writeTarGz(dist("hard.tar.gz"), {
      COPYING: "MIT",
      LICENSE: { hardlink: "COPYING" },
      "THIRD_PARTY_NOTICES.md": "n",
    });
    expect((await licensingNoticesKind.run(gate(["dist/*"]), gateContext(repo.dir))).status).toBe("pass");
  });
});
