// `shipgate versions`, `notices` and `contract` through the real CLI.
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeTarGz } from "../helpers/archives.js";
import { runCli } from "../helpers/cli.js";
import { createRepo, type TempRepo } from "../helpers/repo.js";

const PLASMITE = path.resolve(import.meta.dirname, "../../examples/plasmite");

describe("single-kind commands", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("versions reports values, exits 1 on drift and 2 on bad input", async () => {
    repo = createRepo({
      "shipgate.yaml":
        "gates:\n  - { id: v, kind: version-alignment, manifests: [{ file: Cargo.toml }, { file: package.json }] }\n",
      "Cargo.toml": '[package]\nversion = "2.0.0"\n',
      "package.json": '{ "version": "2.0.0" }\n',
    });
    const agree = await runCli(["versions", "--json"], { cwd: repo.dir });
    expect(agree.code).toBe(0);
    expect(agree.json()).toMatchObject({
      expected: "2.0.0",
      versions: [
        { file: "Cargo.toml", value: "2.0.0" },
        { file: "package.json", value: "2.0.0" },
      ],
    });
    const drift = await runCli(["versions", "--expect", "2.1.0"], { cwd: repo.dir });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain("Cargo.toml package.version = 2.0.0");
    expect((await runCli(["versions", "--release-target", "v2.0.0"], { cwd: repo.dir })).code).toBe(0);
    // A tired human types the tag where the version goes: it means the same version.
    expect((await runCli(["versions", "--expect", "v2.0.0"], { cwd: repo.dir })).code).toBe(0);
    const bad = await runCli(["versions", "--expect", "two"], { cwd: repo.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expect "two" is not a version');
    repo.write("package.json", '{ "version": "2.0.1" }\n');
    expect((await runCli(["versions"], { cwd: repo.dir })).code).toBe(1);
    repo.write("shipgate.yaml", "gates: []\n");
    const none = await runCli(["versions"], { cwd: repo.dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no gate of kind version-alignment");
  });

  it("notices exits 3 with no artifact, 1 when one lacks a notice, 0 when all carry them", async () => {
    repo = createRepo({
      "shipgate.yaml": "gates:\n  - { id: n, kind: licensing-notices, artifacts: ['dist/*.tgz'] }\n",
    });
    expect((await runCli(["notices"], { cwd: repo.dir })).code).toBe(3);
    mkdirSync(path.join(repo.dir, "dist"));
    writeTarGz(path.join(repo.dir, "dist/p.tgz"), { "package/LICENSE": "MIT" });
    const lacking = await runCli(["notices", "--json"], { cwd: repo.dir });
    expect(lacking.code).toBe(1);
    expect(lacking.json()).toMatchObject({
      gates: [{ id: "n", status: "fail", summary: "dist/p.tgz lacks THIRD_PARTY_NOTICES.md" }],
    });
    writeTarGz(path.join(repo.dir, "dist/p.tgz"), {
      "package/LICENSE": "MIT",
      "package/THIRD_PARTY_NOTICES.md": "n",
    });
    expect((await runCli(["notices"], { cwd: repo.dir })).code).toBe(0);
  });

  it("contract passes on the Plasmite example and fails naming the rule when a `needs` entry goes", async () => {
    repo = createRepo({ "README.md": "x" });
    cpSync(PLASMITE, repo.dir, { recursive: true });
    const ok = await runCli(["contract"], { cwd: repo.dir });
    expect(ok.code).toBe(0);
    const file = ".github/workflows/release-publish.yml";
    const { readFileSync, writeFileSync } = await import("node:fs");
    const text = readFileSync(path.join(repo.dir, file), "utf8");
    writeFileSync(
      path.join(repo.dir, file),
      text.replace(
        "  publish-npm:\n    needs: [verify-homebrew-tap]",
        "  publish-npm:\n    needs: [collect-build-artifacts]",
      ),
    );
    const broken = await runCli(["contract", "--json"], { cwd: repo.dir });
    expect(broken.code).toBe(1);
    expect(broken.json<{ gates: { summary: string }[] }>().gates[0]?.summary).toBe(
      "[needs] release-publish.yml: job `publish-npm` does not need `verify-homebrew-tap`",
    );
  });
});
