// Interruptions: Ctrl-C and SIGKILL during a gate, what they leave behind (orphaned gate processes,
// temp files, a torn tracker line) and how the next writer cleans it up and puts that on record.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { FileLock } from "../../src/evidence/lock.js";
import { GATE_MARKER_ENV, killLeftoverProcesses, processStartTicks } from "../../src/evidence/processes.js";
import { CLI, runCli } from "../helpers/cli.js";
import { FILE_PUBLISH_BLOCKER, INIT, releaseRepo } from "../helpers/demo-repo.js";
import { eventually, processGone } from "../helpers/processes.js";
import type { TempRepo } from "../helpers/repo.js";

const GATES = ["gates", "--release-target", "v0.3.0", "--json"];
const DEAD_PID = 2 ** 22 + 12345; // above pid_max's default: never a live process

const readPid = (file: string) => (existsSync(file) ? Number(readFileSync(file, "utf8")) || 0 : 0);
const ledgerOf = (repo: TempRepo) =>
  JSON.parse(readFileSync(path.join(repo.dir, ".shipgate/v0.3.0/evidence.json"), "utf8"));

function startGates(
  repo: TempRepo,
  extra: string[] = [],
): { child: ChildProcess; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...GATES, ...extra], {
    cwd: repo.dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  const closed = new Promise<number | null>((r) => child.on("close", r));
  return { child, closed };
}

describe("interruptions", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("Ctrl-C: the interrupted gate is incomplete and files nothing; a timeout in the same run still files", async () => {
    repo = releaseRepo(`gates:
  - { id: tmo, run: "sleep 5", timeout: 300ms }
  - { id: long, run: "echo $$ > .git/gate.pid; sleep 30" }
`);
    await runCli(INIT, { cwd: repo.dir });
    const { child, closed } = startGates(repo, ["--jobs", "2"]);
    let stdout = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    const pidFile = path.join(repo.dir, ".git/gate.pid");
    // The timeout's blocker is filed before we interrupt: the ledger holds it.
    expect(await eventually(() => readPid(pidFile) > 0 && ledgerOf(repo).blockers.length === 1, 20_000)).toBe(
      true,
    );
    child.kill("SIGINT");
    expect(await closed).toBe(3);
    const out = JSON.parse(stdout) as { gates: { id: string; status: string; blockerId?: string }[] };
    const long = out.gates.find((g) => g.id === "long");
    expect(long).toMatchObject({ status: "incomplete" });
    expect(long?.blockerId).toBeUndefined();
    expect(out.gates.find((g) => g.id === "tmo")).toMatchObject({ status: "fail" });
    const ledger = ledgerOf(repo);
    expect(ledger.blockers).toMatchObject([{ check: "tmo", state: "open" }]);
    expect(ledger.gates.long.summary).toMatch(/^interrupted: /);
    const filed = readFileSync(path.join(repo.dir, ".shipgate/blockers.jsonl"), "utf8");
    expect(filed).not.toContain("long");
    expect(await eventually(() => processGone(readPid(pidFile)))).toBe(true);
  });

  it("SIGKILL: the gate's processes run on as orphans until the next writer kills them and says so", async () => {
    // Runs its long part once only, so the rerun that cleans up is quick.
    repo = releaseRepo(`gates:
  - { id: orphan, run: "test -f .git/ran && exit 0; touch .git/ran; sleep 30 & echo $! > .git/child.pid; echo $$ > .git/gate.pid; wait" }
`);
    await runCli(INIT, { cwd: repo.dir });
    const { child, closed } = startGates(repo);
    const childPid = path.join(repo.dir, ".git/child.pid");
    const gatePid = path.join(repo.dir, ".git/gate.pid");
    expect(
      await eventually(
        () => readPid(gatePid) > 0 && ledgerOf(repo).gates.orphan?.processes?.groups.length === 1,
        20_000,
      ),
    ).toBe(true);
    const recorded = ledgerOf(repo).gates.orphan.processes;
    expect(recorded).toMatchObject({ host: os.hostname(), runnerPid: child.pid });
    expect(recorded.groups[0].pgid).toBe(readPid(gatePid));
    child.kill("SIGKILL");
    await closed;
    // Nothing killed them: the gate's bash and its sleep are orphans now.
    await new Promise((r) => setTimeout(r, 100));
    expect(processGone(readPid(childPid))).toBe(false);
    expect(processGone(readPid(gatePid))).toBe(false);

    const rerun = await runCli(GATES, { cwd: repo.dir });
    // The orphans were gone before the writer went on: checked right after it returned.
    expect(processGone(readPid(childPid))).toBe(true);
    expect(processGone(readPid(gatePid))).toBe(true);
    expect(rerun.code).toBe(0);
    const ledger = ledgerOf(repo);
    const interrupted = ledger.events.find((e: { type: string }) => e.type === "gates-interrupted");
    expect(interrupted.data.gates).toEqual(["orphan"]);
    expect(interrupted.data.processes.orphan).toMatchObject({ state: "killed", groups: [readPid(gatePid)] });
    expect(interrupted.data.processes.orphan.pids).toEqual(
      expect.arrayContaining([readPid(gatePid), readPid(childPid)]),
    );
    // A killed gate files nothing either; the rerun decided it afresh.
    expect(ledger.blockers).toEqual([]);
    expect(ledger.gates.orphan).toMatchObject({ status: "pass" });
    expect(ledger.gates.orphan.processes).toBeUndefined();
  });

  it("kills a recorded group only when it is provably the gate's: never a recycled pgid", () => {
    const sleeper = (env: NodeJS.ProcessEnv = {}) => {
      const proc = spawn("sleep", ["30"], {
        detached: true,
        stdio: "ignore",
        env: { ...process.env, ...env },
      });
      onTestFinished(() => {
        if (!processGone(proc.pid as number)) process.kill(-(proc.pid as number), "SIGKILL");
      });
      return proc.pid as number;
    };
    const record = (pgid: number, startTicks: number | undefined, marker = "m-0") => ({
      host: os.hostname(),
      runnerPid: DEAD_PID,
      marker,
      groups: [{ pgid, startTicks }],
    });

    // Same pgid, another start time and no marker: someone else's group that reused the number.
    const stranger = sleeper();
    const ticks = processStartTicks(stranger) as number;
    expect(killLeftoverProcesses(record(stranger, ticks - 1))).toEqual({ state: "none" });
    expect(killLeftoverProcesses(record(stranger, undefined))).toEqual({ state: "none" });
    expect(processGone(stranger)).toBe(false);
    // A live runner, or another host: left alone, and said so.
    expect(killLeftoverProcesses({ ...record(stranger, ticks), runnerPid: process.ppid })).toMatchObject({
      state: "unchecked",
    });
    expect(killLeftoverProcesses({ ...record(stranger, ticks), host: "elsewhere" })).toMatchObject({
      state: "unchecked",
    });
    expect(processGone(stranger)).toBe(false);

    // The recorded leader's start time matches: ours.
    expect(killLeftoverProcesses(record(stranger, ticks))).toMatchObject({
      state: "killed",
      pids: [stranger],
    });
    expect(processGone(stranger)).toBe(true);

    // Unrecorded (killed before its group reached the ledger) but carrying the gate's marker: ours.
    const marked = sleeper({ [GATE_MARKER_ENV]: "m-1" });
    const verdict = killLeftoverProcesses({ ...record(DEAD_PID, undefined, "m-1"), groups: [] });
    expect(verdict).toMatchObject({ state: "killed", groups: [marked] });
    expect(processGone(marked)).toBe(true);
  });

  it("removes the temp files of killed writers, and nothing else", async () => {
    repo = releaseRepo("gates:\n  - { id: a, run: 'true' }\n");
    await runCli(INIT, { cwd: repo.dir });
    const root = path.join(repo.dir, ".shipgate");
    const dir = path.join(root, "v0.3.0");
    const holder = (pid: number) =>
      `${JSON.stringify({ pid, host: os.hostname(), since: "2020-01-01T00:00:00Z", command: "x" })}\n`;
    const stale = {
      "v0.3.0/evidence.json.3141592653": "{",
      "v0.3.0/evidence.md.42": "# half",
      [`v0.3.0.lock.${DEAD_PID}.k3x9q`]: holder(DEAD_PID),
      [`v0.3.0.lock.${DEAD_PID}.empty0`]: "",
      "v0.3.0.lock.takeover": holder(DEAD_PID),
      // The tracker log's lock lives in the same folder; its dead takers' records are provably garbage.
      [`blockers.jsonl.lock.${DEAD_PID}.t0rn5`]: holder(DEAD_PID),
    };
    const kept = {
      "v0.3.0/evidence.json.bak": "keep",
      "v0.3.0/evidence.json.12.tmp": "keep",
      "v0.3.0/notes.txt": "keep",
      // A live process's lock record (it may be acquiring right now), near-miss names and contents.
      [`v0.3.0.lock.${process.pid}.live01`]: holder(process.pid),
      [`v0.3.0.lock.${DEAD_PID}.k3x9q.old`]: holder(DEAD_PID),
      [`v0.3.0.lock.${DEAD_PID}.other1`]: "not a holder record",
      [`v0.3.0.lock.${DEAD_PID}.other2`]: holder(process.pid),
      [`v0.3.0.lck.${DEAD_PID}.other3`]: holder(DEAD_PID),
    };
    for (const [name, text] of Object.entries({ ...stale, ...kept }))
      writeFileSync(path.join(root, name), text);
    // An older shipgate's takeover guard is a directory without an owner: stale only once old.
    mkdirSync(path.join(root, "v0.4.0.lock.takeover"));

    expect((await runCli(GATES, { cwd: repo.dir })).code).toBe(0);
    for (const name of Object.keys(stale)) expect(existsSync(path.join(root, name)), name).toBe(false);
    for (const name of Object.keys(kept)) expect(existsSync(path.join(root, name)), name).toBe(true);
    expect(existsSync(path.join(root, "v0.4.0.lock.takeover"))).toBe(true);
    expect(readdirSync(dir).filter((n) => /^evidence\.(json|md)\.\d+$/.test(n))).toEqual([]);
    const removed = ledgerOf(repo).events.find((e: { type: string }) => e.type === "leftovers-removed");
    expect(removed.data.files.sort()).toEqual(Object.keys(stale).sort());

    // Once old, the ownerless guard goes with the next holder of a lock in the folder.
    const old = new Date(Date.now() - 60_000);
    utimesSync(path.join(root, "v0.4.0.lock.takeover"), old, old);
    const lock = FileLock.acquire(path.join(root, "v0.4.0.lock"), "test");
    lock.release();
    expect(lock.removed).toEqual(["v0.4.0.lock.takeover"]);
  });

  it("repairs the local tracker's log after a kill mid-append, on record", async () => {
    repo = releaseRepo();
    await runCli(INIT, { cwd: repo.dir });
    expect((await runCli(FILE_PUBLISH_BLOCKER, { cwd: repo.dir })).code).toBe(0);
    const file = path.join(repo.dir, ".shipgate/blockers.jsonl");
    const torn = '{"op":"task","at":"2026-01-01T00:00:00Z","id":"T9","epic":"E1","tit';
    writeFileSync(file, readFileSync(file, "utf8") + torn);
    const second = await runCli(
      ["blockers", "file", "--release-target", "v0.3.0", "--check", "docs", "--title", "t", "--summary", "s"],
      { cwd: repo.dir },
    );
    expect(second.code).toBe(0);
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    const records = lines.map((l) => JSON.parse(l));
    expect(records.map((r) => r.op)).toEqual(["epic", "task", "repair", "task"]);
    expect(records[2]).toMatchObject({ droppedBytes: torn.length, dropped: torn });
    expect(
      (await runCli(["blockers", "list", "--release-target", "v0.3.0", "--json"], { cwd: repo.dir })).json(),
    ).toMatchObject({ open: 2 });
  });
});
