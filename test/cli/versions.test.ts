// `shipgate versions` through the built CLI: exit codes, human and --json output, no ledger needed.
import { cpSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { createRepo, type TempRepo } from "../helpers/repo.js";

const PLASMITE = path.resolve(import.meta.dirname, "../../examples/plasmite");
const CONFIG =
  "gates:\n  - { id: v, kind: version-alignment, manifests: [{ file: Cargo.toml }, { file: package.json }] }\n";

describe("shipgate versions", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const versions = (...args: string[]) => runCli(["versions", ...args], { cwd: repo.dir });

  it("reports every value and passes when the manifests agree with each other", async () => {
    repo = createRepo({
      "shipgate.yaml": CONFIG,
      "Cargo.toml": '[package]\nversion = "2.0.0"\n',
      "package.json": '{ "version": "2.0.0" }\n',
    });
    const agree = await versions("--json");
    expect(agree.code).toBe(0);
    expect(agree.json()).toEqual({
      ok: true,
      exitCode: 0,
      expected: "2.0.0",
      compared: "each-other",
      summary: "2 version fields at 2.0.0",
      versions: [
        { file: "Cargo.toml", key: "package.version", value: "2.0.0" },
        { file: "package.json", key: "version", value: "2.0.0" },
      ],
      next: null,
    });
    const human = await versions();
    expect(human.stdout).toBe(
      "pass Cargo.toml package.version = 2.0.0\npass package.json version = 2.0.0\nall at 2.0.0\n",
    );
    expect((await versions("--release-target", "v2.0.0")).code).toBe(0);
    // A tired human types the tag where the version goes: it means the same version.
    expect((await versions("--expect", "v2.0.0")).code).toBe(0);
  });

  it("exits 1 on drift, naming each file and value", async () => {
    repo = createRepo({
      "shipgate.yaml": CONFIG,
      "Cargo.toml": '[package]\nversion = "2.0.0"\n',
      "package.json": '{ "version": "2.0.1" }\n',
    });
    const each = await versions();
    expect(each.code).toBe(1);
    expect(each.stdout).toContain("fail package.json version = 2.0.1");
    expect(each.stdout).toContain("drift: expected 2.0.0; package.json version = 2.0.1");
    const expected = await versions("--expect", "2.1.0", "--json");
    expect(expected.code).toBe(1);
    expect(expected.json()).toMatchObject({
      ok: false,
      exitCode: 1,
      expected: "2.1.0",
      compared: "expected",
      summary: "expected 2.1.0; Cargo.toml package.version = 2.0.0; package.json version = 2.0.1",
    });
    repo.write("package.json", "{ broken");
    const broken = await versions("--expect", "2.0.0");
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/fail package\.json version = \(cannot parse as JSON/);
  });

  it("exits 2 on a bad --expect, a bad or contradicting --release-target, or no version-alignment gate", async () => {
    repo = createRepo({ "shipgate.yaml": CONFIG, "Cargo.toml": '[package]\nversion = "2.0.0"\n' });
    const bad = await versions("--expect", "two");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('shipgate: error: --expect "two" is not a version like 1.2.3\n');
    expect(bad.stdout).toBe("");
    const badJson = await versions("--expect", "=2.0", "--json");
    expect(badJson.code).toBe(2);
    expect(badJson.json()).toMatchObject({
      ok: false,
      exitCode: 2,
      error: '--expect "=2.0" is not a version like 1.2.3',
    });
    expect((await versions("--release-target", "2.0.0")).code).toBe(2);
    const contradiction = await versions("--expect", "2.0.0", "--release-target", "v2.1.0");
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toContain("--expect 2.0.0 contradicts --release-target v2.1.0");
    repo.write("shipgate.yaml", "gates: []\n");
    const none = await versions();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("the config has no gate of kind version-alignment");
  });

  it("checks the Plasmite example's manifests, Cargo.lock included", async () => {
    repo = createRepo({
      "Cargo.toml": '[package]\nname = "plasmite"\nversion = "0.8.0"\n',
      "Cargo.lock":
        '[[package]]\nname = "libc"\nversion = "0.2.0"\n\n[[package]]\nname = "plasmite"\nversion = "0.8.0"\n',
      "bindings/node/native/Cargo.toml": '[package]\nname = "plasmite-node"\nversion = "0.8.0"\n',
      "bindings/node/package.json": '{ "name": "plasmite", "version": "0.8.0" }\n',
      "bindings/node/package-lock.json":
        '{ "version": "0.8.0", "packages": { "": { "version": "0.8.0" } } }\n',
      "bindings/python/pyproject.toml": '[project]\nname = "plasmite"\nversion = "0.8.0"\n',
    });
    cpSync(path.join(PLASMITE, "shipgate.yaml"), path.join(repo.dir, "shipgate.yaml"));
    const ok = await versions("--release-target", "v0.8.0", "--json");
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ summary: "7 version fields at 0.8.0" });
    const next = await versions("--release-target", "v0.9.0");
    expect(next.code).toBe(1);
    expect(next.stdout).toContain("fail Cargo.lock package[name=plasmite].version = 0.8.0");
  });
});
