// The npm channel reads the registry from the user's npm configuration: a project .npmrc's `registry`
// and `@scope:registry` (against the loopback stand-in), and the machine's configured registry for a
// real package and version (skipped, saying why, when that registry cannot be reached from here).
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NpmRegistryStandIn } from "../../scripts/loopback/registries.js";
import { tempDir } from "../helpers/repo.js";
import { checkConfigured } from "./check.js";

let npm: NpmRegistryStandIn;
const dirs: string[] = [];
const project = (npmrc: string) => {
  const dir = tempDir("shipgate-npmrc-");
  dirs.push(dir);
  writeFileSync(path.join(dir, ".npmrc"), npmrc);
  return dir;
};

beforeAll(async () => {
  npm = await NpmRegistryStandIn.start();
  npm.publish("@acme/widget", "0.3.0");
  npm.publish("plain-widget", "0.3.0");
});
afterAll(async () => {
  await npm.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("npm channel: the registry comes from npm's configuration", () => {
  it("honours a project .npmrc's @scope:registry for a scoped package, and its registry for others", async () => {
    const dir = project(`@acme:registry=${npm.url}/\nregistry=${npm.url}/\n`);
    const results = await checkConfigured(
      {
        channels: [
          { kind: "npm", package: "@acme/widget" },
          { kind: "npm", package: "plain-widget" },
        ],
      },
      { repoRoot: dir },
    );
    expect(results.get("npm:@acme/widget")).toMatchObject({
      status: "live",
      url: `${npm.url}/@acme%2fwidget`,
    });
    expect(results.get("npm:plain-widget")).toMatchObject({ status: "live", url: `${npm.url}/plain-widget` });
  });

  it("the scope's registry wins over the default one; an explicit `registry` wins over both", async () => {
    const dir = project(`@acme:registry=${npm.url}\nregistry=http://127.0.0.1:9/\n`);
    const scoped = await checkConfigured(
      { channels: [{ kind: "npm", package: "@acme/widget" }] },
      { repoRoot: dir },
    );
    expect(scoped.get("npm:@acme/widget")?.status).toBe("live");
    const unscoped = await checkConfigured(
      { channels: [{ kind: "npm", package: "plain-widget" }] },
      { repoRoot: dir },
    );
    // Port 9 (discard) refuses: the channel could not be asked, and says where it tried.
    expect(unscoped.get("npm:plain-widget")).toMatchObject({ status: "incomplete" });
    expect(unscoped.get("npm:plain-widget")?.summary).toContain("http://127.0.0.1:9/plain-widget");
    const explicit = await checkConfigured(
      { channels: [{ kind: "npm", package: "plain-widget", registry: npm.url }] },
      { repoRoot: dir },
    );
    expect(explicit.get("npm:plain-widget")?.status).toBe("live");
  });
});

/** The machine's configured registry, or why it cannot be used here. */
async function configuredRegistry(dir: string): Promise<{ url: string } | { skip: string }> {
  let url: string;
  try {
    url = execFileSync("npm", ["config", "get", "registry"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 20_000,
    }).trim();
  } catch (err) {
    return { skip: `npm config get registry failed: ${(err as Error).message}` };
  }
  try {
    // Any HTTP answer means reachable; only a connection failure or a timeout skips.
    await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(4_000) });
    return { url };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    return { skip: `the configured npm registry ${url} cannot be reached from this machine (${cause})` };
  }
}

describe("npm channel against the machine's configured registry", () => {
  it("finds a real package version from package-lock.json, and reports a version that does not exist as missing", async (ctx) => {
    const dir = tempDir("shipgate-npm-real-");
    dirs.push(dir);
    const registry = await configuredRegistry(dir);
    if ("skip" in registry) return ctx.skip(registry.skip);
    const lock = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, "../../package-lock.json"), "utf8"),
    );
    const version = lock.packages["node_modules/zod"].version as string;
    const channels = [{ kind: "npm", package: "zod" }];

    const absent = await checkConfigured(
      { channels },
      { repoRoot: dir, version: "0.0.0-shipgate-no-such-version" },
    );
    const missing = absent.get("npm:zod")!;
    expect(missing.status, missing.summary).toBe("missing");
    expect(missing.url).toBe(`${registry.url.replace(/\/+$/, "")}/zod`);
    const latest = missing.versionSeen;
    expect(latest).toMatch(/^\d+\.\d+\.\d+/);

    // The locked version exists; it is live only if `latest` still points at it.
    const locked = (await checkConfigured({ channels }, { repoRoot: dir, version })).get("npm:zod")!;
    if (latest === version) expect(locked.status).toBe("live");
    else {
      expect(locked.status).toBe("wrong");
      expect(locked.summary).toContain(`has zod@${version}, but dist-tag latest points at ${latest}`);
    }
    const current = (await checkConfigured({ channels }, { repoRoot: dir, version: latest! })).get(
      "npm:zod",
    )!;
    expect(current.status, current.summary).toBe("live");
  });
});
