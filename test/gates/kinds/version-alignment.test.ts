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
  "bindings/python/pyproject.toml": '[project]\nname = "p"\nversion = "1.2.0"\n',
  "bindings/node/package.json": '{ "name": "p", "version": "1.2.0" }\n',
  "bindings/node/package-lock.json":
    '{ "name": "p", "version": "1.2.0", "packages": { "": { "version": "1.2.0" } } }\n',
  "meta/versions.json": '{ "sdk": { "go": { "version": "1.2.0" } } }\n',
};
const ALL = [
  { file: "Cargo.toml" },
  { file: "bindings/python/pyproject.toml" },
  { file: "bindings/node/package.json" },
  { file: "bindings/node/package-lock.json" },
  { file: "meta/versions.json", key: "sdk.go.version" },
];

describe("version-alignment", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("passes when every manifest (both package-lock fields included) holds the target version", async () => {
    repo = createRepo(FILES);
    const outcome = await versionAlignmentKind.run(gate(ALL), gateContext(repo.dir, "1.2.0"));
    expect(outcome).toMatchObject({ status: "pass", summary: "6 version fields at 1.2.0" });
  });

  it("fails listing every file and value that drifted", async () => {
    repo = createRepo({
      ...FILES,
      "bindings/node/package-lock.json":
        '{ "version": "1.2.0", "packages": { "": { "version": "1.1.0" } } }\n',
      "bindings/python/pyproject.toml": '[project]\nversion = "1.1.9"\n',
    });
    const outcome = await versionAlignmentKind.run(gate(ALL), gateContext(repo.dir, "1.2.0"));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toContain("bindings/python/pyproject.toml project.version = 1.1.9");
    expect(outcome.summary).toContain('bindings/node/package-lock.json packages."".version = 1.1.0');
    expect(outcome.summary).not.toContain("Cargo.toml");
  });

  it("fails (never passes) on a missing file, broken TOML, a missing key or an uninferable key", async () => {
    repo = createRepo({
      "Cargo.toml": "[package\nversion = 1",
      "package.json": '{ "name": "x" }',
      VERSION: "1.2.0\n",
    });
    const outcome = await versionAlignmentKind.run(
      gate([
        { file: "Cargo.toml" },
        { file: "package.json" },
        { file: "gone/pyproject.toml" },
        { file: "VERSION" },
      ]),
      gateContext(repo.dir, "1.2.0"),
    );
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toMatch(/Cargo\.toml package\.version = \(cannot parse/);
    expect(outcome.summary).toContain("package.json version = (key not found)");
    expect(outcome.summary).toContain("gone/pyproject.toml project.version = (file not found)");
    expect(outcome.summary).toContain("VERSION ? = (no `key` given");
  });
});
