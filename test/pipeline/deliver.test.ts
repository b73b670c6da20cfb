// `shipgate deliver` end to end against the loopback world (GitHub releases and tap, npm, crates.io,
// PyPI, Go proxy): a partial publish files exactly one incident blocker naming both sides and the
// recovery, and no second one on a rerun; dry-run and live make no mutating request anywhere; exit
// codes 0/1/3; install smoke in a clean HOME, failing the channel when it fails or times out.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ChannelName, DeliveryWorld } from "../../scripts/loopback/delivery.js";
import type { Ledger } from "../../src/evidence/schema.js";
import { runCli } from "../helpers/cli.js";
import { initArgs, releaseRepo } from "../helpers/demo-repo.js";
import type { TempRepo } from "../helpers/repo.js";

const TOKEN = "ghp_deliverTestToken0123456789abcdefghijk";
let world: DeliveryWorld;
let repo: TempRepo;

beforeEach(async () => {
  world = await DeliveryWorld.start({ token: TOKEN });
});
afterEach(async () => {
  await world.close();
  repo?.cleanup();
});

function project(
  channels: readonly ChannelName[],
  edit: (config: Record<string, unknown>) => void = () => {},
) {
  const config = { gates: [], ...world.config(channels) };
  edit(config);
  repo = releaseRepo(`${JSON.stringify(config, null, 2)}\n`);
}

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli([...args, "--json"], {
    cwd: repo.dir,
    env: { GH_TOKEN: TOKEN, SHIPGATE_GITHUB_API_URL: undefined, ...env },
  });
const init = async (mode: "live" | "dry-run") =>
  expect((await cli([...initArgs(mode), "--force"])).code).toBe(0);
const ledger = (): Ledger =>
  JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));
const DELIVER = ["deliver", "--release-target", "v0.3.0", "--poll", "0.05"];

interface DeliverJson {
  result: string;
  exitCode: number;
  record: {
    partial: boolean;
    blockerId: string | null;
    statuses: Record<string, string>;
    recovery: string[] | null;
  };
  channels: Record<string, { status: string; summary: string; smoke?: { status: string; logPath: string } }>;
  next: { command: string[]; reason: string } | null;
}

describe("shipgate deliver", () => {
  it("partial publish (npm live, PyPI missing): exactly one incident blocker naming both and the recovery, none more on rerun", async () => {
    project(["npm", "pypi"]);
    world.publish("0.2.0", ["npm", "pypi"]);
    world.publish("0.3.0", ["npm"]);
    await init("live");

    const r = await cli([...DELIVER, "--wait", "300ms"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const out = r.json<DeliverJson>();
    expect(out.record.statuses).toEqual({ "npm:plasmite": "live", "pypi:plasmite": "missing" });
    expect(out.record.partial).toBe(true);
    const recovery = [
      "shipgate",
      "publish",
      "--release-target",
      "v0.3.0",
      "--build-run-id",
      "<build-run-id>",
      "--skip",
      "npm",
      "--allow-partial-release",
    ];
    expect(out.record.recovery).toEqual(recovery);
    expect(out.next?.command).toEqual(recovery);
    expect(out.next?.reason).toMatch(/never re-tag/);
    const blockerId = out.record.blockerId;
    expect(blockerId).toBeTruthy();

    const first = ledger();
    expect(first.blockers).toHaveLength(1);
    expect(first.blockers[0]).toMatchObject({ id: blockerId, check: "deliver", state: "open" });
    expect(first.blockers[0]?.title).toBe(
      "[release-blocker][v0.3.0] partial publish: v0.3.0 is live on some channels only",
    );
    expect(first.delivery["npm:plasmite"]).toMatchObject({
      status: "live",
      versionSeen: "0.3.0",
      versionExpected: "0.3.0",
      url: `${world.reg.npm.url}/plasmite`,
    });
    expect(first.delivery["pypi:plasmite"]).toMatchObject({ status: "missing", versionSeen: "0.2.0" });
    expect(first.delivery["pypi:plasmite"]?.attempts).toBeGreaterThanOrEqual(1);
    const body = readFileSync(path.join(repo.dir, ".shipgate/blockers.jsonl"), "utf8");
    expect(body).toContain("npm:plasmite");
    expect(body).toContain("pypi:plasmite");
    expect(body).toContain(recovery.join(" "));
    expect(body).toMatch(/never re-tag/);
    expect(body).toContain("v0.3.1");

    // Rerun: the open task is found, not filed again.
    const again = await cli([...DELIVER, "--wait", "0"]);
    expect(again.code).toBe(1);
    expect(again.json<DeliverJson>().record.blockerId).toBe(blockerId);
    const list = await cli(["blockers", "list", "--release-target", "v0.3.0"]);
    expect(list.json<{ tasks: unknown[] }>().tasks).toHaveLength(1);
    expect(ledger().blockers).toHaveLength(1);

    // PyPI catches up: every channel is live, the release is delivered (the blocker stays for a human).
    world.publish("0.3.0", ["pypi"]);
    const done = await cli([...DELIVER, "--wait", "0"]);
    expect(done.code, done.stdout).toBe(0);
    expect(ledger().checkpoint.phase).toBe("delivered");
    expect(ledger().blockers).toHaveLength(1);
    const verified = await cli([...DELIVER, "--wait", "0"]);
    expect(verified.code).toBe(0);
    expect(verified.json<DeliverJson>().result).toBe("verified");
    expect(world.mutating()).toEqual([]);
  });

  it("every channel live: dry-run and live both check for real, exit 0, and make no mutating request", async () => {
    project(["github-release", "npm", "crates", "pypi", "homebrew", "go"], (config) => {
      const npm = (config.channels as Record<string, unknown>[])[1]!;
      npm.installSmoke = `test "$npm_config_registry" = "${world.reg.npm.url}" && test "$HOME" != "${os.homedir()}" && test -z "$(ls -A)" && echo installed {version}`;
    });
    world.publish("0.2.0");
    world.publish("0.3.0");
    await init("dry-run");
    const dry = await cli([...DELIVER, "--wait", "0"]);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    const out = dry.json<DeliverJson>();
    expect(Object.values(out.record.statuses)).toEqual(["live", "live", "live", "live", "live", "live"]);
    expect(out.channels["npm:plasmite"]?.smoke?.status).toBe("pass");
    const log = readFileSync(out.channels["npm:plasmite"]!.smoke!.logPath, "utf8");
    expect(log).toContain("installed 0.3.0");
    // A dry run proves nothing was released by it: the phase stays.
    expect(ledger().checkpoint.phase).not.toBe("delivered");

    await init("live");
    const live = await cli([...DELIVER, "--wait", "0"]);
    expect(live.code, live.stdout).toBe(0);
    expect(ledger().checkpoint.phase).toBe("delivered");
    expect(Object.keys(ledger().delivery).sort()).toEqual([
      "crates:plasmite",
      "github-release",
      "go:github.com/sandover/plasmite/bindings/go",
      "homebrew",
      "npm:plasmite",
      "pypi:plasmite",
    ]);
    const status = await cli(["status", "--release-target", "v0.3.0"]);
    expect(status.json<{ steps: { step: string; state: string; detail: string }[] }>().steps).toContainEqual({
      step: "deliver",
      state: "live",
      detail: "v0.3.0: 6/6 live",
    });
    expect(world.mutating()).toEqual([]);
    expect(world.gh.requests.length).toBeGreaterThan(0);
  });

  it("exit 3 when a channel cannot be asked, 1 when one is missing; a failing or slow install smoke fails its channel, redacted", async () => {
    project(["npm", "crates"]);
    world.publish("0.3.0", ["npm"]);
    await init("live");
    world.reg.npm.fail("/plasmite", { status: 503, body: "upstream down" });
    const both = await cli([...DELIVER, "--wait", "0"]);
    expect(both.code).toBe(1); // crates missing decides
    expect(both.json<DeliverJson>().record).toMatchObject({ partial: false, blockerId: null });
    world.publish("0.3.0", ["crates"]);
    const unknown = await cli([...DELIVER, "--wait", "0"]);
    expect(unknown.code).toBe(3);
    expect(unknown.json<DeliverJson>().channels["npm:plasmite"]?.summary).toMatch(
      /^npm:plasmite: GET .*answered 503/,
    );
    expect(ledger().blockers).toHaveLength(0);
    world.reg.npm.clearFaults();

    const secret = "npm_abcdefghijklmnopqrstuvwxyz0123456789";
    writeFileSync(
      path.join(repo.dir, "shipgate.yaml"),
      readFileSync(path.join(repo.dir, "shipgate.yaml"), "utf8")
        .replace('"kind": "npm",', '"kind": "npm", "installSmoke": "echo token=$NPM_TOKEN; exit 4",')
        .replace(
          '"kind": "crates",',
          '"kind": "crates", "installSmoke": "sleep 5", "smokeTimeout": "300ms",',
        ),
    );
    const smoke = await cli([...DELIVER, "--wait", "0"], { NPM_TOKEN: secret });
    expect(smoke.code).toBe(1);
    const ch = smoke.json<DeliverJson>().channels;
    expect(ch["npm:plasmite"]).toMatchObject({ status: "wrong", smoke: { status: "fail" } });
    expect(ch["npm:plasmite"]?.summary).toMatch(/install smoke `echo token=\$NPM_TOKEN; exit 4` exited 4/);
    expect(ch["crates:plasmite"]?.summary).toMatch(/timed out/);
    const log = readFileSync(ch["npm:plasmite"]!.smoke!.logPath, "utf8");
    expect(log).toContain("token=[REDACTED]");
    expect(log).not.toContain(secret);
  });

  it("--channels picks a subset (which never completes the delivery); an unknown channel or no channels is exit 2", async () => {
    project(["npm", "pypi"]);
    world.publish("0.3.0", ["npm"]);
    await init("live");
    const subset = await cli([...DELIVER, "--wait", "0", "--channels", "npm"]);
    expect(subset.code).toBe(0);
    expect(Object.keys(subset.json<DeliverJson>().record.statuses)).toEqual(["npm:plasmite"]);
    expect(ledger().checkpoint.phase).not.toBe("delivered");
    expect((await cli([...DELIVER, "--channels", "nuget"])).code).toBe(2);
    expect((await cli([...DELIVER, "--wait", "soon"])).code).toBe(2);
    writeFileSync(path.join(repo.dir, "shipgate.yaml"), "gates: []\n");
    const none = await cli(DELIVER);
    expect(none.code).toBe(2);
    expect(none.json<{ error: string }>().error).toMatch(/no channels/);
    expect(existsSync(path.join(repo.dir, ".shipgate/blockers.jsonl"))).toBe(false);
  });
});
