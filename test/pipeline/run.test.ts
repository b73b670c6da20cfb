// `shipgate run` end to end on the demo project and its loopback world: the demo's story (a gate blocks,
// its blocker is filed, the fix lands, the blocker is closed, the run resumes to the end of the dry run)
// leaves every phase checked in the ledger; and a run SIGKILLed at every phase boundary and at random
// instants, then restarted, ends with the same ledger as an uninterrupted one, repeating no mutating
// request.

import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type DemoRepo, fixChangelog } from "../../scripts/demo-repo.js";
import { type DemoWorld, demoSetup } from "../../scripts/loopback/demo-world.js";
import type { Ledger } from "../../src/evidence/schema.js";
import { CLI, runCli } from "../helpers/cli.js";

const T = ["--release-target", "v0.3.0"];
const INIT = ["init", ...T, "--base-tag", "v0.2.0", "--mode", "dry-run", "--agent", "tester@ci"];
const PHASES = [
  "runtime-preflight",
  "gates",
  "bench",
  "blockers",
  "tag",
  "build",
  "provenance",
  "homebrew",
  "preflight",
  "rehearsal",
  "publish",
  "deliver",
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(): Promise<{ repo: DemoRepo; world: DemoWorld }> {
  const s = await demoSetup();
  cleanups.push(async () => {
    await s.world.close();
    rmSync(s.repo.dir, { recursive: true, force: true });
    rmSync(s.repo.remote, { recursive: true, force: true });
  });
  return s;
}

const ledgerOf = (repo: DemoRepo): Ledger =>
  JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));

/** What a finished ledger says, without times, ids, URLs or the event history. */
function outcome(l: Ledger) {
  const mechanics = Object.fromEntries(
    Object.entries(l.mechanics as Record<string, Record<string, unknown>>).map(([step, r]) => [
      step,
      { dryRun: r.dryRun, conclusion: r.conclusion ?? null, ok: r.ok ?? null, pushed: r.pushed ?? null },
    ]),
  );
  return {
    phase: l.checkpoint.phase,
    gates: Object.fromEntries(Object.values(l.gates).map((g) => [g.id, g.status])),
    blockers: l.blockers.map((b) => `${b.check} ${b.state}`),
    mechanics,
    delivery: Object.fromEntries(Object.entries(l.delivery).map(([id, d]) => [id, d.status])),
  };
}

/** The demo's story up to a fixed changelog, a passing build, and the changelog blocker closed. */
async function throughTheFix(s: { repo: DemoRepo; world: DemoWorld }): Promise<void> {
  const env = s.world.env();
  expect((await runCli(INIT, { cwd: s.repo.dir, env })).code).toBe(0);
  const first = await runCli(["run", ...T, "--json"], { cwd: s.repo.dir, env });
  expect(first.code, first.stderr).toBe(1);
  expect(first.json<{ stoppedAt: string }>().stoppedAt).toBe("gates");
  const head = fixChangelog(s.repo);
  s.world.pushed(head);
  s.world.built("v0.3.0", head);
  const second = await runCli(["run", ...T, "--json"], { cwd: s.repo.dir, env });
  expect(second.code).toBe(1);
  const blocked = second.json<{ stoppedAt: string; next: { command: string[] } }>();
  expect(blocked.stoppedAt).toBe("blockers");
  expect(blocked.next.command.slice(0, 3)).toEqual(["shipgate", "blockers", "close"]);
  expect((await runCli([...blocked.next.command.slice(1), "--json"], { cwd: s.repo.dir, env })).code).toBe(0);
}

/** The story's final ledger, as the uninterrupted run left it; the kill test must end with the same. */
let uninterrupted: ReturnType<typeof outcome> | undefined;
let uninterruptedMutations: { method: string; path: string }[] = [];

describe("shipgate run", () => {
  it("walks the demo's story to the end of the dry run, every phase on record", async () => {
    const s = await setup();
    await throughTheFix(s);
    const last = await runCli(["run", ...T, "--json"], { cwd: s.repo.dir, env: s.world.env() });
    expect(last.code, last.stderr).toBe(0);
    const report = last.json<{
      phases: { phase: string; status: string }[];
      report: string;
      resumed: boolean;
      next: { command: string[] };
    }>();
    expect(report.resumed).toBe(true);
    expect(report.phases.map((p) => p.phase)).toEqual(PHASES);
    expect(report.phases.every((p) => ["done", "verified", "planned", "skipped"].includes(p.status))).toBe(
      true,
    );
    expect(report.next.command).toContain("live");
    expect(readFileSync(report.report, "utf8")).toContain("<html");

    const l = ledgerOf(s.repo);
    const o = outcome(l);
    uninterrupted = o;
    uninterruptedMutations = s.world.mutating();
    expect(o.gates).toMatchObject({ changelog: "pass", deps: "skipped", clean: "pass" });
    expect(o.blockers).toEqual(["changelog closed"]);
    expect(o.mechanics.rehearsal).toMatchObject({ conclusion: "success" });
    expect(Object.values(o.delivery)).toEqual(Array(6).fill("live"));
    expect(l.events.filter((e) => e.type === "resumed")).toHaveLength(2);
    const checked = new Set(l.events.filter((e) => e.type === "run-phase").map((e) => e.data.phase));
    for (const phase of PHASES) expect(checked.has(phase), phase).toBe(true);
    // A dry run's only mutating request: the rehearsal dispatch.
    expect(s.world.mutating()).toHaveLength(1);
    // Nothing left to do: a rerun changes nothing remote and dispatches nothing again.
    const before = s.world.githubRequests().length;
    expect((await runCli(["run", ...T], { cwd: s.repo.dir, env: s.world.env() })).code).toBe(0);
    expect(s.world.mutating()).toHaveLength(1);
    // An artifact's zip and a release asset never change under their id: one download each per run,
    // although provenance, the tap check, preflight and two channels read them.
    const downloads = s.world
      .githubRequests(before)
      .filter((r) => /\/actions\/artifacts\/\d+\/zip$|\/releases\/assets\/\d+$/.test(r.path))
      .map((r) => r.path);
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads).toEqual([...new Set(downloads)]);
  });

  it("refuses a new commit after the tag was pushed (a release is never re-tagged)", async () => {
    const s = await setup();
    const env = s.world.env();
    const head = fixChangelog(s.repo);
    s.world.pushed(head);
    await runCli(["init", ...T, "--base-tag", "v0.2.0", "--mode", "live", "--agent", "tester@ci"], {
      cwd: s.repo.dir,
      env,
    });
    expect((await runCli(["run", ...T, "--until", "tag"], { cwd: s.repo.dir, env })).code).toBe(0);
    expect(ledgerOf(s.repo).mechanics.tag).toMatchObject({ pushed: true });
    s.repo.git("commit", "-q", "--allow-empty", "-m", "after the tag");
    const refused = await runCli(["run", ...T, "--json"], { cwd: s.repo.dir, env });
    expect(refused.code).toBe(1);
    expect(refused.json<{ phases: { summary: string }[] }>().phases[0]?.summary).toContain(
      "a release is never re-tagged",
    );
    expect(s.repo.git("ls-remote", "--tags", "origin")).toContain(head);
  });

  // A process-level test (each attempt is a real shipgate killed with SIGKILL), so it gets more time.
  it("ends killed-and-resumed runs with the same ledger as an uninterrupted run, repeating no mutation", {
    timeout: 180_000,
  }, async () => {
    expect(uninterrupted, "the story test runs first and records the uninterrupted ledger").toBeDefined();
    const expected = uninterrupted;

    const s = await setup();
    await throughTheFix(s);
    const env = { ...process.env, ...s.world.env(), NO_COLOR: "1" };
    /** Starts `run` as a process; kills it when `killWhen` says so for a line of its output. */
    const attempt = (killWhen: (line: string, ms: number) => boolean) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [CLI, "run", ...T], {
          cwd: s.repo.dir,
          env,
          stdio: ["ignore", "pipe", "pipe"],
        });
        const started = Date.now();
        let killed = false;
        const check = (chunk: Buffer) => {
          for (const line of String(chunk).split("\n"))
            if (!killed && killWhen(line, Date.now() - started)) {
              killed = true;
              child.kill("SIGKILL");
            }
        };
        child.stdout.on("data", check);
        child.stderr.on("data", check);
        const timer = setInterval(() => check(Buffer.from("")), 5);
        child.on("close", (code) => {
          clearInterval(timer);
          resolve(killed ? null : code);
        });
      });
    // At every phase boundary: killed the moment a phase announces itself.
    for (const phase of PHASES) await attempt((line) => line === `phase ${phase}`);
    // And inside phases, at random instants.
    for (let i = 0; i < 2; i++) {
      const at = 50 + Math.floor(Math.random() * 900);
      await attempt((_line, ms) => ms >= at);
    }
    let code: number | null = null;
    for (let i = 0; i < 5 && code !== 0; i++) code = await attempt(() => false);
    expect(code).toBe(0);
    expect(outcome(ledgerOf(s.repo))).toEqual(expected);
    // The rehearsal was dispatched exactly once, however often the run died around it.
    expect(s.world.mutating()).toEqual(uninterruptedMutations);
  });
});
