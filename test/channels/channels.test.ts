// Each channel against its loopback stand-in, answering the registry's documented JSON shapes: live,
// missing, wrong, a server error, a garbage body and an answer slower than the propagation window. Only
// a correct answer is live; everything else names the channel and what was seen.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ChannelName, DeliveryWorld } from "../../scripts/loopback/delivery.js";
import type { DeliveryEntry } from "../../src/channels/outcome.js";
import { resetRedactor } from "../../src/evidence/redact.js";
import { checkConfigured } from "./check.js";

const TOKEN = "ghp_channelTestToken0123456789abcdefghij";
let world: DeliveryWorld;
const saved = { ...process.env };

beforeEach(async () => {
  world = await DeliveryWorld.start({ token: TOKEN });
  Object.assign(process.env, { GH_TOKEN: TOKEN });
  resetRedactor();
});
afterEach(async () => {
  await world.close();
  process.env = { ...saved };
});

async function check(
  name: ChannelName,
  options: { waitMs?: number; requestTimeoutMs?: number; config?: Record<string, unknown> } = {},
): Promise<DeliveryEntry> {
  const results = await checkConfigured({ ...world.config([name]), ...options.config }, options);
  return [...results.values()][0]!;
}

/** Per channel: the route its first request takes (for faults), and how to make it wrong. */
const CHANNELS: Record<
  ChannelName,
  { route: RegExp; server: () => { fail: DeliveryWorld["gh"]["fail"] }; wrong(): string | RegExp }
> = {
  "github-release": {
    route: /\/releases\/tags\//,
    server: () => world.gh,
    wrong: () => {
      world.publish("0.3.0", ["github-release"], { draft: true });
      return /is still a draft/;
    },
  },
  npm: {
    route: /^\/plasmite$/,
    server: () => world.reg.npm,
    wrong: () => {
      world.reg.npm.publish("plasmite", "0.4.0");
      world.reg.npm.publish("plasmite", "0.3.0", { tag: false });
      return /has plasmite@0\.3\.0, but dist-tag latest points at 0\.4\.0/;
    },
  },
  crates: {
    route: /^\/api\/v1\/crates\//,
    server: () => world.reg.crates,
    wrong: () => {
      world.reg.crates.publish("plasmite", "0.3.0");
      world.reg.crates.yank("plasmite", "0.3.0");
      return /plasmite@0\.3\.0 is yanked/;
    },
  },
  pypi: {
    route: /^\/pypi\//,
    server: () => world.reg.pypi,
    wrong: () => {
      world.reg.pypi.publish("plasmite", "0.3.0");
      world.reg.pypi.yank("plasmite", "0.3.0", "broken wheel");
      return /plasmite 0\.3\.0 is yanked/;
    },
  },
  homebrew: {
    route: /\/contents\//,
    server: () => world.gh,
    wrong: () => {
      world.publish("0.3.0", ["github-release", "homebrew"]);
      const formula = world.gh.repo(world.tapRepo).getContent(world.formulaPath)!;
      const sha = /sha256 "([0-9a-f]{64})"/.exec(formula)![1]!;
      world.gh.repo(world.tapRepo).setContent(world.formulaPath, formula.replace(sha, "f".repeat(64)));
      return /sha256 for \w+ is f{64}, but sha256sums\.txt lists/;
    },
  },
  go: {
    route: /\/@v\//,
    server: () => world.reg.goproxy,
    wrong: () => {
      world.reg.goproxy.fail(/\/@v\/v0\.3\.0\.info$/, { status: 200, body: { Version: "v0.2.0" } });
      return /answered v0\.2\.0 when asked for/;
    },
  },
};

const ID: Record<ChannelName, string> = {
  "github-release": "github-release",
  npm: "npm:plasmite",
  crates: "crates:plasmite",
  pypi: "pypi:plasmite",
  homebrew: "homebrew",
  go: "go:github.com/sandover/plasmite/bindings/go",
};

describe.each(Object.keys(CHANNELS) as ChannelName[])("channel %s", (name) => {
  const spec = CHANNELS[name];
  const previous = () => world.publish("0.2.0", [name]);

  it("is live once the release is there, and names the version it saw", async () => {
    previous();
    world.publish("0.3.0", name === "homebrew" ? ["github-release", "homebrew"] : [name]);
    const entry = await check(name);
    expect(entry.status, entry.summary).toBe("live");
    expect(entry.summary.startsWith(`${ID[name]}: `)).toBe(true);
    expect(entry.versionSeen).toMatch(/0\.3\.0/);
    expect(entry.versionExpected).toBe("0.3.0");
    expect(entry.url).toBeTruthy();
    expect(world.mutating()).toEqual([]);
  });

  it("is missing while only the previous version is there", async () => {
    previous();
    if (name === "homebrew") world.publish("0.3.0", ["github-release"]);
    const entry = await check(name);
    expect(entry.status, entry.summary).toBe("missing");
    if (name !== "github-release") expect(entry.versionSeen).toMatch(/0\.2\.0/);
  });

  it("is wrong when it serves the version wrongly", async () => {
    previous();
    const expected = spec.wrong();
    const entry = await check(name);
    expect(entry.status, entry.summary).toBe("wrong");
    expect(entry.summary).toMatch(expected);
  });

  it("is incomplete on a server error, naming the status", async () => {
    world.publish("0.3.0", name === "homebrew" ? ["github-release", "homebrew"] : [name]);
    spec.server().fail(spec.route, { status: 500, body: { message: "boom" } });
    const entry = await check(name);
    expect(entry.status, entry.summary).toBe("incomplete");
    expect(entry.summary).toContain(ID[name]);
    expect(entry.summary).toMatch(/500/);
  });

  it("is incomplete on a garbage body", async () => {
    world.publish("0.3.0", name === "homebrew" ? ["github-release", "homebrew"] : [name]);
    spec.server().fail(spec.route, { status: 200, html: true });
    const entry = await check(name);
    expect(entry.status, entry.summary).toBe("incomplete");
    expect(entry.summary).toMatch(/not JSON|unexpected shape|other than|could not be reached|JSON/i);
  });

  it("is not live when no answer comes within the request timeout, and does not wait for it", async () => {
    world.publish("0.3.0", name === "homebrew" ? ["github-release", "homebrew"] : [name]);
    spec.server().fail(spec.route, { delayMs: 10_000 });
    const started = Date.now();
    const entry = await check(name, { waitMs: 300, requestTimeoutMs: 500 });
    // Not a speed figure: only that the check gave up instead of waiting for the answer, which comes
    // 10 s later (the margin absorbs a loaded machine).
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(entry.status, entry.summary).toBe("incomplete");
    expect(entry.summary).toMatch(/no answer within 0.5s|could not be reached/);
  });

  it("takes a slow first answer that comes after the window ended (the window only bounds asking again)", async () => {
    world.publish("0.3.0", name === "homebrew" ? ["github-release", "homebrew"] : [name]);
    spec.server().fail(spec.route, { delayMs: 600, times: 1 });
    const entry = await check(name, { waitMs: 100, requestTimeoutMs: 5_000 });
    expect(entry.status, entry.summary).toBe("live");
    expect(entry.attempts).toBe(1);
  });

  it("does not ask again once the window ended during a slow first answer", async () => {
    world.publish("0.2.0", name === "homebrew" ? ["github-release", "homebrew"] : [name]);
    spec.server().fail(spec.route, { delayMs: 600, times: 1 });
    const entry = await check(name, { waitMs: 100, requestTimeoutMs: 5_000 });
    expect(entry.status, entry.summary).not.toBe("live");
    expect(entry.attempts).toBe(1);
  });
});

describe("retries and particulars", () => {
  it("asks again with backoff until the channel becomes live within the window", async () => {
    world.publish("0.2.0", ["npm"]);
    // Published once the first answer (without it) has gone out.
    const publishLater = setInterval(() => {
      if (world.reg.npm.requests.length === 0) return;
      clearInterval(publishLater);
      world.reg.npm.publish("plasmite", "0.3.0");
    }, 5);
    const entry = await check("npm", { waitMs: 3_000 });
    clearInterval(publishLater);
    expect(entry.status).toBe("live");
    expect(entry.attempts).toBeGreaterThan(1);
    expect(entry.durationMs).toBeLessThan(2_000);
  });

  it("keeps asking a missing channel until the window ends, then reports what it last saw", async () => {
    world.publish("0.2.0", ["crates"]);
    const entry = await check("crates", { waitMs: 800 });
    expect(entry.status).toBe("missing");
    expect(entry.attempts).toBeGreaterThanOrEqual(2);
    expect(entry.durationMs).toBeGreaterThanOrEqual(750);
    // crates.io refuses clients that do not name themselves.
    expect(world.reg.crates.requests.every((r) => /shipgate/.test(r.headers["user-agent"] ?? ""))).toBe(true);
  });

  it("github-release: an SDK archive without the layout, or an asset missing, is not live", async () => {
    world.publish("0.3.0", ["github-release"], { layout: ["bin/plasmite", "include/plasmite.h"] });
    const entry = await check("github-release");
    expect(entry.status).toBe("wrong");
    expect(entry.summary).toMatch(
      /plasmite_0\.3\.0_darwin_amd64\.tar\.gz lacks bin\/pls, lib\/pkgconfig\/plasmite\.pc/,
    );

    const config = world.config(["github-release"]);
    const channel = (config.channels as Record<string, unknown>[])[0]!;
    const missing = await check("github-release", {
      config: {
        channels: [{ ...channel, assets: [...(channel.assets as string[]), "plasmite-sdk_{version}.zip"] }],
      },
    });
    expect(missing.status).toBe("missing");
    expect(missing.summary).toContain("lacks plasmite-sdk_0.3.0.zip");
  });

  it("homebrew: a formula platform that is not configured is wrong", async () => {
    world.publish("0.3.0", ["github-release", "homebrew"]);
    const config = world.config(["homebrew"]);
    const homebrew = config.homebrew as Record<string, unknown>;
    const entry = await check("homebrew", {
      config: { homebrew: { ...homebrew, platforms: ["darwin_amd64", "darwin_arm64", "linux_amd64"] } },
    });
    expect(entry.status).toBe("wrong");
    expect(entry.summary).toMatch(/formula platform linux_arm64 is not configured/);
  });

  it("pypi: a release lacking a configured kind of file is missing", async () => {
    world.reg.pypi.publish("plasmite", "0.3.0", {
      files: [{ filename: "plasmite-0.3.0.tar.gz", packagetype: "sdist" }],
    });
    const entry = await check("pypi");
    expect(entry.status).toBe("missing");
    expect(entry.summary).toMatch(/has no wheel/);
  });

  it("a channel whose config lacks a key is incomplete at once, not retried", async () => {
    world.publish("0.3.0", ["github-release", "homebrew"]);
    const started = Date.now();
    const entry = await check("homebrew", { waitMs: 2_000, config: { homebrew: undefined } });
    expect(entry.status).toBe("incomplete");
    expect(entry.summary).toMatch(/homebrew\.tapRepo/);
    expect(entry.attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
