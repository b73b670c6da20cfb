import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  versionAlignmentGateSchema,
  versionAlignmentKind,
} from "../../../src/gates/kinds/version-alignment.js";
import { createRepo, type TempRepo } from "../../helpers/repo.js";
import { gateContext } from "./context.js";

const gate = (manifests: { file: string; key?: string }[]) =>
  versionAlignmentGateSchema.parse({ id: "versions", kind: "version-alignment", manifests });

const FILES = {
  "Cargo.toml": '[package]\nname = "p"\nversion = "1.2.0"\n\n[dependencies]\nserde = { version = "1.0.0" }\n',
  "Cargo.lock":
    'version = 4\n\n[[package]]\nname = "serde"\nversion = "1.0.0"\n\n[[package]]\nname = "p"\nversion = "1.2.0"\n',
  "bindings/python/pyproject.toml": '[project]\nname = "p"\nversion = "1.2.0"\n',
  "bindings/node/package.json": '{ "name": "p", "version": "1.2.0" }\n',
  "bindings/node/package-lock.json":
    '{ "name": "p", "version": "1.2.0", "packages": { "": { "version": "1.2.0" } } }\n',
  "meta/versions.json": '{ "sdk": { "go": { "version": "1.2.0" } } }\n',
  "charts/p/Chart.yaml": "apiVersion: v2\nname: p\nversion: 1.2.0\n",
};
const ALL = [
  { file: "Cargo.toml" },
  { file: "Cargo.lock", key: "package[name=p].version" },
  { file: "bindings/python/pyproject.toml" },
  { file: "bindings/node/package.json" },
  { file: "bindings/node/package-lock.json" },
  { file: "meta/versions.json", key: "sdk.go.version" },
  { file: "charts/p/Chart.yaml", key: "version" },
];

describe("version-alignment", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("passes when every manifest (both package-lock fields included) holds the target version", async () => {
    repo = createRepo(FILES);
    const ctx = gateContext(repo.dir, "1.2.0");
    const outcome = await versionAlignmentKind.run(gate(ALL), ctx);
    expect(outcome).toMatchObject({ status: "pass", summary: "8 version fields at 1.2.0" });
    expect(ctx.logged()).toContain('bindings/node/package-lock.json packages."".version = 1.2.0');
  });

  it("fails listing every file and value that drifted", async () => {
    repo = createRepo({
      ...FILES,
      "bindings/node/package-lock.json":
        '{ "version": "1.2.0", "packages": { "": { "version": "1.1.0" } } }\n',
      "bindings/python/pyproject.toml": '[project]\nversion = "1.1.9"\n',
      "Cargo.lock": '[[package]]\nname = "p"\nversion = "1.1.0"\n',
    });
    const outcome = await versionAlignmentKind.run(gate(ALL), gateContext(repo.dir, "1.2.0"));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toBe(
      "expected 1.2.0; Cargo.lock package[name=p].version = 1.1.0; bindings/python/pyproject.toml project.version = 1.1.9; " +
        'bindings/node/package-lock.json packages."".version = 1.1.0',
    );
    expect(outcome.details).toMatchObject({
      expected: "1.2.0",
      versions: expect.arrayContaining([{ file: "Cargo.toml", key: "package.version", value: "1.2.0" }]),
    });
  });

  it("fails (never passes) on a missing file, broken TOML or JSON, a missing key, a non-string value, a directory or an uninferable key", async () => {
    repo = createRepo({
      "Cargo.toml": "[package\nversion = 1",
      "package.json": '{ "name": "x" }',
      "a/package.json": '{ "version": "1.2.0", }',
      "b/package.json": '{ "version": 1.2 }',
      "c/package.json": '{ "version": "" }',
      VERSION: "1.2.0\n",
      "py/pyproject.toml": '[project]\nname = "p"\ndynamic = ["version"]\n',
    });
    mkdirSync(path.join(repo.dir, "dir/pyproject.toml"), { recursive: true });
    const checked = gate([
      { file: "Cargo.toml" },
      { file: "package.json" },
      { file: "a/package.json" },
      { file: "b/package.json" },
      { file: "c/package.json" },
      { file: "gone/pyproject.toml" },
      { file: "dir/pyproject.toml" },
      { file: "package.json", key: "constructor" },
      { file: "py/pyproject.toml" },
    ]);
    // The config refuses these two at load; the gate still fails on them should one get through.
    checked.manifests.push({ file: "VERSION" }, { file: "VERSION", key: "version" });
    const outcome = await versionAlignmentKind.run(checked, gateContext(repo.dir, "1.2.0"));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toMatch(/Cargo\.toml package\.version = \(cannot parse as TOML/);
    expect(outcome.summary).toContain("package.json version = (key not found: no `version`)");
    expect(outcome.summary).toMatch(/a\/package\.json version = \(cannot parse as JSON/);
    expect(outcome.summary).toContain("b/package.json version = (not a version string: 1.2)");
    expect(outcome.summary).toContain('c/package.json version = (not a version string: "")');
    expect(outcome.summary).toContain("gone/pyproject.toml project.version = (file not found)");
    expect(outcome.summary).toContain("dir/pyproject.toml project.version = (is a directory)");
    expect(outcome.summary).toContain("VERSION ? = (no `key` given");
    expect(outcome.summary).toContain("VERSION version = (unsupported file type");
    expect(outcome.summary).toContain("package.json constructor = (key not found");
    expect(outcome.summary).toContain("py/pyproject.toml project.version = (the version is dynamic");
  });

  it("resolves `version.workspace = true` from the nearest workspace Cargo.toml, and fails without one", async () => {
    repo = createRepo({
      "Cargo.toml": '[workspace]\nmembers = ["crates/core"]\n\n[workspace.package]\nversion = "1.2.0"\n',
      "crates/core/Cargo.toml": '[package]\nname = "core"\nversion.workspace = true\n',
      "orphan/Cargo.toml": '[package]\nname = "o"\nversion = { workspace = true }\n',
    });
    const ok = await versionAlignmentKind.run(
      gate([{ file: "crates/core/Cargo.toml" }]),
      gateContext(repo.dir),
    );
    expect(ok).toMatchObject({ status: "pass" });
    expect(ok.details).toMatchObject({
      versions: [{ value: "1.2.0", inheritedFrom: "Cargo.toml workspace.package.version" }],
    });
    const drift = await versionAlignmentKind.run(
      gate([{ file: "crates/core/Cargo.toml" }]),
      gateContext(repo.dir, "1.3.0"),
    );
    expect(drift.summary).toBe(
      "expected 1.3.0; crates/core/Cargo.toml package.version = 1.2.0 (from Cargo.toml workspace.package.version)",
    );
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/core"]\n');
    const noVersion = await versionAlignmentKind.run(
      gate([{ file: "crates/core/Cargo.toml" }]),
      gateContext(repo.dir),
    );
    expect(noVersion).toMatchObject({
      status: "fail",
      summary: expect.stringContaining(
        "inherits from Cargo.toml, which has no workspace.package.version string",
      ),
    });
    repo.write("Cargo.toml", "");
    const orphan = await versionAlignmentKind.run(
      gate([{ file: "orphan/Cargo.toml" }]),
      gateContext(repo.dir),
    );
    expect(orphan.summary).toContain("no workspace Cargo.toml was found");
  });

  it("refuses a malformed key path in the config", () => {
    expect(() => gate([{ file: "Cargo.lock", key: "package[name=p" }])).toThrow(/malformed key path/);
    expect(() =>
      versionAlignmentGateSchema.parse({ id: "v", kind: "version-alignment", manifests: [] }),
    ).toThrow();
  });
});
