// The binary's launcher (src/cli/launcher.cts): the built code cache is taken by a plain node, the
// bundle runs the same with a corrupt cache, without one, or edited after its cache was made, and a
// missing bundle exits 3.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LoadedCli } from "../../src/cli/launcher.cjs";
import { CLI } from "../helpers/cli.js";

const BIN = path.dirname(CLI);
const VERSION = (
  JSON.parse(readFileSync(path.join(BIN, "../../package.json"), "utf8")) as { version: string }
).version;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of dist/bin to break things in. */
function copyOfBin(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "shipgate-launcher-"));
  dirs.push(dir);
  cpSync(BIN, dir, { recursive: true });
  return dir;
}

function caches(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".cache"));
}

/** Loads the bundle of `dir` through its launcher in this process and asks it for --version. */
async function versionVia(dir: string): Promise<{ code: number; out: string; loaded: LoadedCli }> {
  const { loadCli } = createRequire(import.meta.url)(path.join(dir, "shipgate.js")) as {
    loadCli(dir: string): LoadedCli;
  };
  const loaded = loadCli(dir);
  let out = "";
  const io = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: () => true },
    env: { ...process.env, NO_COLOR: "1" },
  };
  const code = await loaded.cli.run(["node", "shipgate", "--version"], io);
  return { code, out: out.trim(), loaded };
}

describe("the launcher's code cache", () => {
  it("is built for the bundle's content and taken by a plain node", () => {
    const [cache] = caches(BIN);
    expect(caches(BIN)).toHaveLength(1);
    const probe = `const l = require(${JSON.stringify(CLI)}).loadCli(${JSON.stringify(BIN)});
      process.stdout.write(JSON.stringify({ file: l.cacheFile, rejected: l.cacheRejected }));`;
    const seen = JSON.parse(execFileSync(process.execPath, ["-e", probe], { encoding: "utf8" })) as {
      file: string;
      rejected: boolean;
    };
    expect(seen).toEqual({ file: path.join(BIN, cache as string), rejected: false });
  });

  it("a corrupt cache is rejected and the bundle compiled as usual", async () => {
    const dir = copyOfBin();
    writeFileSync(path.join(dir, caches(dir)[0] as string), Buffer.alloc(4096, 7));
    const { code, out, loaded } = await versionVia(dir);
    expect(loaded.cacheRejected).toBe(true);
    expect({ code, out }).toEqual({ code: 0, out: VERSION });
  });

  it("no cache: the bundle is compiled as usual", async () => {
    const dir = copyOfBin();
    for (const file of caches(dir)) rmSync(path.join(dir, file));
    const { code, out, loaded } = await versionVia(dir);
    expect(loaded.cacheRejected).toBe(false);
    expect({ code, out }).toEqual({ code: 0, out: VERSION });
  });

  it("an edited bundle never meets the old bytecode, even at the same length", async () => {
    // V8 checks a cache against the source's length only: the same-length edit below would run the old
    // bytecode (and print the old version) if the cache were offered by name alone.
    const dir = copyOfBin();
    const bundle = path.join(dir, "cli.js");
    const source = readFileSync(bundle, "utf8");
    const edited = "9".repeat(VERSION.length);
    expect(source).toContain(JSON.stringify(VERSION));
    writeFileSync(bundle, source.replaceAll(JSON.stringify(VERSION), JSON.stringify(edited)));
    const { code, out, loaded } = await versionVia(dir);
    expect(caches(dir)).not.toContain(path.basename(loaded.cacheFile));
    expect({ code, out }).toEqual({ code: 0, out: edited });
  });

  it("a bundle with non-ASCII text is read as UTF-8", async () => {
    const dir = copyOfBin();
    const bundle = path.join(dir, "cli.js");
    const marker = "réécrit — ∞";
    writeFileSync(
      bundle,
      `${readFileSync(bundle, "utf8")}\nmodule.exports.marker = ${JSON.stringify(marker)};\n`,
    );
    const { code, out, loaded } = await versionVia(dir);
    expect((loaded.cli as unknown as { marker: string }).marker).toBe(marker);
    expect({ code, out }).toEqual({ code: 0, out: VERSION });
  });

  it("a missing bundle is a broken installation: one line, exit 3, never 0 or 1", () => {
    const dir = copyOfBin();
    rmSync(path.join(dir, "cli.js"));
    const res = spawnSync(process.execPath, [path.join(dir, "shipgate.js"), "--version"], {
      encoding: "utf8",
    });
    expect(res.status).toBe(3);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/^shipgate: error: cannot load shipgate itself: ENOENT[^\n]*cli\.js'\nhint: /);
  });
});
