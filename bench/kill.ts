// Kill benchmark: SIGKILLs the bundled `shipgate gates` and `shipgate blockers file` at random instants,
// runs `status` and the same command again after each kill, and counts what a kill left behind: invalid
// ledgers or tracker logs, stuck locks, orphaned gate processes, leftover temp files (all must be 0).
//
// Knobs (environment): SHIPGATE_BENCH_KILLS (default 200), SHIPGATE_BENCH_LANES (independent repos
// killed side by side, default cores + 1), SHIPGATE_BENCH_SEED (default: random; printed for a replay).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readLedger } from "../src/evidence/ledger.js";
import { FileLock } from "../src/evidence/lock.js";
import { type LedgerPaths, ledgerPaths } from "../src/evidence/paths.js";
import { GATE_MARKER_ENV } from "../src/evidence/processes.js";
import { benchRepo } from "./repo.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/bin/shipgate.js");
const TARGET = "v1.0.0";
const LANE_ENV = "SHIPGATE_BENCH_LANE";
// How long a killed run's gate children live on (the rerun's hold 0 s): long enough that only the next
// writer's clean-up, not their own end, can account for them being gone.
const HOLD_SECONDS = "10";
const RESTART_EVERY = 25;

// Gates that spawn children (in the background, nested shells, several groups in a row) and sleep
// briefly; one fails every time, so each `gates` run also takes the blocker path.
const CONFIG = `gates:
  - { id: fanout, run: "touch $SHIPGATE_BENCH_FLAG; sleep 0.05 & sleep \${SHIPGATE_BENCH_HOLD:-0} & wait" }
  - { id: nested, run: "bash -c 'sleep 0.1; sleep \${SHIPGATE_BENCH_HOLD:-0}'; true" }
  - { id: steps, run: ["true", "sleep 0.05", "sleep \${SHIPGATE_BENCH_HOLD:-0}"] }
  - { id: broken, run: "sleep 0.1; echo broken >&2; exit 1" }
`;

/** A small, seedable generator (mulberry32): a failing run can be replayed with its printed seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Counts {
  kills: number;
  invalidLedgers: number;
  invalidTrackerLogs: number;
  stuckLocks: number;
  orphanedGateProcesses: number;
  leftoverTempFiles: number;
  /** Status or rerun exit codes that were not the expected ones (other than the counts above). */
  unexpectedExits: number;
  /** Recoveries on record in the ledgers: orphan groups killed and temp files removed by the next writer. */
  orphanKillsOnRecord: number;
  tempRemovalsOnRecord: number;
  /** Where the kills landed, judged from the ledger right after each. */
  phases: Record<string, number>;
  /** Gate processes found alive right after a kill (the orphans the rerun had to deal with). */
  orphansAfterKill: number;
  notes: string[];
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** When to SIGKILL: `afterMs` after the start, or after `ready()` first holds (polled every 5 ms). */
interface KillPlan {
  afterMs: number;
  ready?: () => boolean;
}

function shipgate(args: string[], cwd: string, env: NodeJS.ProcessEnv, kill?: KillPlan): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child: ChildProcess = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    const sigkill = () => child.kill("SIGKILL");
    let timer = setTimeout(sigkill, kill?.ready ? 60_000 : (kill?.afterMs ?? 60_000));
    const { ready } = kill ?? {};
    if (ready) {
      const poll = setInterval(() => {
        if (!ready()) return;
        clearInterval(poll);
        clearTimeout(timer);
        timer = setTimeout(sigkill, kill?.afterMs ?? 0);
      }, 5);
      child.on("close", () => clearInterval(poll));
    }
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

function makeRepo(): string {
  return benchRepo("kill", (dir) => writeFileSync(path.join(dir, "shipgate.yaml"), CONFIG)).dir;
}

interface ProcInfo {
  pid: number;
  state: string;
  environ: string[];
}

/** Live (not zombie) processes whose environment carries `entry`. */
function processesWith(entry: string): ProcInfo[] {
  const found: ProcInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? "?";
      if (state === "Z" || state === "X") continue;
      const environ = readFileSync(`/proc/${name}/environ`, "latin1").split("\0");
      if (environ.includes(entry)) found.push({ pid: Number(name), state, environ });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function gateProcesses(laneEntry: string): ProcInfo[] {
  return processesWith(laneEntry).filter((p) => p.environ.some((e) => e.startsWith(`${GATE_MARKER_ENV}=`)));
}

function eventCount(paths: LedgerPaths): number {
  try {
    return (JSON.parse(readFileSync(paths.json, "utf8")) as { events: unknown[] }).events.length;
  } catch {
    return -1;
  }
}

/** Where a kill landed: before the command wrote anything, while gates ran, or in its other writes. */
function phaseOf(paths: LedgerPaths, command: string, eventsBefore: number): string {
  let ledger: { events: { type: string }[]; gates: Record<string, { status: string }> };
  try {
    ledger = JSON.parse(readFileSync(paths.json, "utf8"));
  } catch {
    return "ledger unreadable";
  }
  if (ledger.events.length === eventsBefore) return `${command}: before its first write`;
  if (Object.values(ledger.gates).some((g) => g.status === "running")) return `${command}: gates running`;
  const last = ledger.events.at(-1)?.type ?? "?";
  return `${command}: after ${last}`;
}

const TEMP_IN_ROOT = [/\.lock\.\d+\.[0-9a-z]+$/, /\.lock\.takeover$/];
const TEMP_IN_TARGET = [/^evidence\.(json|md)\.\d+$/];

function leftoverTemps(paths: LedgerPaths): string[] {
  const list = (dir: string, patterns: RegExp[]) =>
    existsSync(dir) ? readdirSync(dir).filter((n) => patterns.some((p) => p.test(n))) : [];
  return [...list(paths.evidenceDir, TEMP_IN_ROOT), ...list(paths.dir, TEMP_IN_TARGET)];
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function ledgerValid(paths: LedgerPaths): string | null {
  try {
    readLedger(paths);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function trackerLogValid(file: string): string | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, "utf8");
  // A partial last line is tolerated by readers (and cut off by the next tracker writer).
  const lines = text.split("\n").slice(0, -1);
  for (const [i, line] of lines.entries()) {
    try {
      JSON.parse(line);
    } catch {
      return `line ${i + 1} is not JSON`;
    }
  }
  return null;
}

/** A lock is stuck when it cannot be taken although nothing runs: its dead holder is not taken over. */
function lockStuck(lockPath: string): string | null {
  try {
    FileLock.acquire(lockPath, "kill bench probe").release();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

async function lane(
  index: number,
  kills: number,
  random: () => number,
  counts: Counts,
  seedTag: string,
): Promise<void> {
  const dir = makeRepo();
  const paths = ledgerPaths(dir, ".shipgate", TARGET);
  const trackerLog = path.join(paths.evidenceDir, "blockers.jsonl");
  const laneEntry = `${LANE_ENV}=${seedTag}-${index}`;
  // The fanout gate touches `flag` when it starts: the cue for kills aimed at running gates.
  const flag = path.join(dir, ".git", "gates-started");
  const env = { [LANE_ENV]: `${seedTag}-${index}`, SHIPGATE_BENCH_FLAG: flag };
  const note = (text: string) => counts.notes.push(`lane ${index}: ${text}`);
  try {
    const initArgs = [
      "init",
      "--release-target",
      TARGET,
      "--base-tag",
      "none",
      "--mode",
      "dry-run",
      "--agent",
      "bench@local",
    ];
    const init = await shipgate(initArgs, dir, env);
    if (init.code !== 0) throw new Error(`init exited ${init.code}: ${init.stderr}`);
    // What the next writers put on record about their recoveries, read before a ledger is replaced.
    const tally = () => {
      for (const event of readLedger(paths).events) {
        if (event.type === "gates-interrupted") {
          const processes = (event.data.processes ?? {}) as Record<string, { state?: string }>;
          counts.orphanKillsOnRecord += Object.values(processes).filter((p) => p.state === "killed").length;
        }
        if (event.type === "leftovers-removed")
          counts.tempRemovalsOnRecord += ((event.data.files as unknown[]) ?? []).length;
      }
    };
    const gatesArgs = ["gates", "--release-target", TARGET, "--rerun", "--jobs", "4", "--json"];
    const fileArgs = (n: number) => [
      "blockers",
      "file",
      "--release-target",
      TARGET,
      "--check",
      `check-${n}`,
      "--title",
      `bench blocker ${n}`,
      "--summary",
      "filed by the kill bench",
      "--json",
    ];
    // How long each command takes when left alone: kill instants are drawn over that span.
    const gatesMs = (await shipgate(gatesArgs, dir, env)).ms;
    const fileMs = (await shipgate(fileArgs(-1), dir, env)).ms;

    let done = 0;
    let restartedAt = 0;
    for (let attempt = 0; done < kills; attempt++) {
      // Every write rewrites the whole ledger, and each run appends a dozen events: a fresh ledger now
      // and then keeps the cost per kill flat (what is measured is the kills, not ledger growth).
      if (done > 0 && done % RESTART_EVERY === 0 && restartedAt !== done) {
        tally();
        const again = await shipgate([...initArgs, "--force"], dir, env);
        if (again.code !== 0) throw new Error(`init --force exited ${again.code}: ${again.stderr}`);
        restartedAt = done;
      }
      const isGates = random() < 0.6;
      const args = isGates ? gatesArgs : fileArgs(attempt);
      // Half of the killed gate runs leave children that would outlive the kill by seconds; those are
      // killed once their gates run (at a random instant within the first 400 ms of it), the rest at a
      // random instant of the whole run.
      const hold = isGates && random() < 0.5 ? HOLD_SECONDS : "0";
      const eventsBefore = eventCount(paths);
      rmSync(flag, { force: true });
      // `blockers file` spends most of its time starting: half of its kills are drawn from the last
      // 40% of its run only, where it reads and appends to the tracker log and writes the ledger.
      const from = !isGates && random() < 0.5 ? 0.65 : 0;
      const plan: KillPlan =
        hold === "0"
          ? { afterMs: Math.floor((from + random() * (1.05 - from)) * (isGates ? gatesMs : fileMs)) }
          : { afterMs: Math.floor(random() * 400), ready: () => existsSync(flag) };
      const killed = await shipgate(args, dir, { ...env, SHIPGATE_BENCH_HOLD: hold }, plan);
      if (killed.signal !== "SIGKILL") continue; // finished before the kill instant: not a kill
      done++;
      counts.kills++;
      const phase = phaseOf(paths, args[0] as string, eventsBefore);
      counts.phases[phase] = (counts.phases[phase] ?? 0) + 1;
      counts.orphansAfterKill += gateProcesses(laneEntry).length;

      const status = await shipgate(["status", "--release-target", TARGET, "--json"], dir, env);
      const invalid = ledgerValid(paths);
      if (invalid || status.code === 2) {
        counts.invalidLedgers++;
        note(`after kill ${done} (${args[0]}): ${invalid ?? status.stderr.trim()}`);
      } else if (![0, 1, 3].includes(status.code ?? -1) || !parsesAsJson(status.stdout)) {
        counts.unexpectedExits++;
        note(`status after kill ${done} exited ${status.code}: ${status.stderr.trim()}`);
      }
      const rerun = await shipgate(args, dir, { ...env, SHIPGATE_BENCH_HOLD: "0" });
      if (/\blocked by\b|changing hands/.test(rerun.stderr)) {
        counts.stuckLocks++;
        note(`rerun after kill ${done} refused on a lock: ${rerun.stderr.trim()}`);
      } else if (rerun.code !== (isGates ? 1 : 0)) {
        counts.unexpectedExits++;
        note(`rerun of ${args[0]} after kill ${done} exited ${rerun.code}: ${rerun.stderr.trim()}`);
      }

      const afterInvalid = ledgerValid(paths);
      if (afterInvalid) {
        counts.invalidLedgers++;
        note(`after the rerun of kill ${done}: ${afterInvalid}`);
      }
      const trackerInvalid = trackerLogValid(trackerLog);
      if (trackerInvalid) {
        counts.invalidTrackerLogs++;
        note(`tracker log after kill ${done}: ${trackerInvalid}`);
      }
      // Nothing of this lane runs now: any gate process still carrying its marker is an orphan.
      const orphans = gateProcesses(laneEntry);
      if (orphans.length > 0) {
        counts.orphanedGateProcesses += orphans.length;
        note(`orphans after kill ${done}: pid ${orphans.map((p) => p.pid).join(", ")}`);
        for (const p of orphans) {
          try {
            process.kill(p.pid, "SIGKILL");
          } catch {
            // gone
          }
        }
      }
      const temps = leftoverTemps(paths);
      if (temps.length > 0) {
        counts.leftoverTempFiles += temps.length;
        note(`temp files after kill ${done}: ${temps.join(", ")}`);
      }
      for (const lock of [paths.lock, `${trackerLog}.lock`]) {
        const stuck = lockStuck(lock);
        if (stuck) {
          counts.stuckLocks++;
          note(`${path.basename(lock)} after kill ${done}: ${stuck}`);
        }
      }
    }
    tally();
  } finally {
    // Never leave a process of ours behind, whatever happened above.
    for (const p of processesWith(laneEntry)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(): Promise<Counts> {
  const total = Number(process.env.SHIPGATE_BENCH_KILLS ?? 200);
  // One lane more than cores: a lane waits on fsync and its gates' sleeps part of the time.
  const lanes = Math.max(1, Number(process.env.SHIPGATE_BENCH_LANES ?? os.availableParallelism() + 1));
  const seed = Number(process.env.SHIPGATE_BENCH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const counts: Counts = {
    kills: 0,
    invalidLedgers: 0,
    invalidTrackerLogs: 0,
    stuckLocks: 0,
    orphanedGateProcesses: 0,
    leftoverTempFiles: 0,
    unexpectedExits: 0,
    orphanKillsOnRecord: 0,
    tempRemovalsOnRecord: 0,
    phases: {},
    orphansAfterKill: 0,
    notes: [],
  };
  const started = performance.now();
  // Every lane ends (and cleans up) before a failure of one is reported.
  const ended = await Promise.allSettled(
    Array.from({ length: lanes }, (_, i) =>
      lane(i, Math.ceil(total / lanes), rng(seed + i), counts, `kill-bench-${seed}`),
    ),
  );
  const failed = ended.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  const seconds = (performance.now() - started) / 1000;
  console.log(`kill bench: seed ${seed}, ${lanes} lane(s), ${seconds.toFixed(1)} s wall`);
  console.log(`  SIGKILLs at random instants of gates / blockers file: ${counts.kills}`);
  console.log(`  each followed by status and a rerun; found:`);
  console.log(`    invalid ledgers: ${counts.invalidLedgers}`);
  console.log(`    invalid tracker logs: ${counts.invalidTrackerLogs}`);
  console.log(`    stuck locks: ${counts.stuckLocks}`);
  console.log(`    orphaned gate processes: ${counts.orphanedGateProcesses}`);
  console.log(`    leftover temp files: ${counts.leftoverTempFiles}`);
  console.log(`    unexpected exit codes: ${counts.unexpectedExits}`);
  console.log(
    `  recoveries on record: ${counts.orphanKillsOnRecord} orphaned gate(s) killed, ${counts.tempRemovalsOnRecord} temp file(s) removed`,
  );
  console.log(`  kills/second: ${(counts.kills / seconds).toFixed(2)}`);
  console.log(
    `  gate processes alive right after a kill (left to the next writer): ${counts.orphansAfterKill}`,
  );
  console.log("  where the kills landed:");
  for (const [phase, n] of Object.entries(counts.phases).sort((a, b) => b[1] - a[1]))
    console.log(`    ${String(n).padStart(4)}  ${phase}`);
  for (const line of counts.notes.slice(0, 20)) console.log(`  ! ${line}`);
  return counts;
}

/** Runs the benchmark; a non-zero finding sets a failing exit code (the figures are printed first). */
export async function run(): Promise<void> {
  const counts = await measure();
  const bad =
    counts.invalidLedgers +
    counts.invalidTrackerLogs +
    counts.stuckLocks +
    counts.orphanedGateProcesses +
    counts.leftoverTempFiles +
    counts.unexpectedExits;
  if (bad > 0 || counts.kills < Number(process.env.SHIPGATE_BENCH_KILLS ?? 200)) process.exitCode = 1;
}
