// Gate processes left behind by a killed shipgate. A gate's commands carry a marker in their environment
// and their process groups are on record in the ledger, so the next writer can kill exactly those.
//
// Nothing is killed unless it is proven ours: a recorded group counts only while its leader has the
// start time we recorded, or one of its members carries the gate's marker (a recycled pgid passes
// neither). Proof needs /proc (Linux); elsewhere the leftovers are reported, never guessed at.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { pidAlive } from "./lock.js";

/** The environment variable that marks every process a gate starts (value: the gate run's marker). */
export const GATE_MARKER_ENV = "SHIPGATE_GATE_RUN";

export interface ProcessGroupRecord {
  pgid: number;
  /** The leader's start time in clock ticks since boot (/proc/<pid>/stat field 22), when it was read. */
  startTicks?: number | undefined;
}

/** What a `running` gate record says about who runs it and which processes it started. */
export interface GateProcesses {
  host: string;
  runnerPid: number;
  runnerStartTicks?: number | undefined;
  marker: string;
  groups: ProcessGroupRecord[];
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  startTicks: number;
}

function procStat(pid: number): ProcInfo | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const num = (index: number) => Number(fields[index]);
  return { pid, state: fields[0] ?? "?", ppid: num(1), pgid: num(2), startTicks: num(19) };
}

function canInspect(): boolean {
  return procStat(process.pid) !== null;
}

/** The start time of a process (clock ticks since boot), or undefined where /proc cannot tell. */
export function processStartTicks(pid: number): number | undefined {
  const stat = procStat(pid);
  return stat && Number.isFinite(stat.startTicks) ? stat.startTicks : undefined;
}

/** A fresh record for a gate that is about to start, run by this process. */
export function newGateProcesses(): GateProcesses {
  return {
    host: os.hostname(),
    runnerPid: process.pid,
    runnerStartTicks: processStartTicks(process.pid),
    marker: `${process.pid}-${randomBytes(8).toString("hex")}`,
    groups: [],
  };
}

function listProcesses(): ProcInfo[] {
  const all: ProcInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const info = procStat(Number(name));
    if (info) all.push(info);
  }
  return all;
}

/** Exited but not yet reaped (a container's init may never reap): not running for any purpose here. */
function isDead(info: ProcInfo | null): boolean {
  return info === null || info.state === "Z" || info.state === "X";
}

function carriesMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1")
      .split("\0")
      .includes(`${GATE_MARKER_ENV}=${marker}`);
  } catch {
    return false;
  }
}

/** This process and its ancestors: never killed, even if a confused ledger pointed at them. */
function selfAndAncestors(): Set<number> {
  const chain = new Set<number>();
  let pid = process.pid;
  while (pid > 1 && !chain.has(pid)) {
    chain.add(pid);
    pid = procStat(pid)?.ppid ?? 0;
  }
  return chain;
}

export type LeftoverVerdict =
  /** Nothing of the gate was still running. */
  | { state: "none" }
  | { state: "killed"; groups: number[]; pids: number[] }
  /** Killed, but something survived the wait (e.g. stuck in uninterruptible I/O). */
  | { state: "survivors"; groups: number[]; pids: number[]; survivors: number[] }
  /** The run that started it is alive, on another host, or /proc is unavailable: left alone. */
  | { state: "unchecked"; reason: string };

function runnerAlive(record: GateProcesses): boolean {
  if (record.runnerPid === process.pid || !pidAlive(record.runnerPid)) return false;
  // A live pid with another start time is a recycled pid, not the runner.
  const start = processStartTicks(record.runnerPid);
  return record.runnerStartTicks === undefined || start === undefined || start === record.runnerStartTicks;
}

/**
 * Kills whatever is left of a gate's processes after its runner died, and waits (up to `waitMs`) until
 * it is gone. Synchronous: the ledger writer must not proceed while the gate's processes still run.
 */
export function killLeftoverProcesses(record: GateProcesses, waitMs = 2000): LeftoverVerdict {
  if (record.host !== os.hostname())
    return { state: "unchecked", reason: `started on host ${record.host}, not this one` };
  if (runnerAlive(record))
    return { state: "unchecked", reason: `the shipgate that started it (pid ${record.runnerPid}) is alive` };
  if (!canInspect()) return { state: "unchecked", reason: "this system has no /proc to verify processes" };

  const spare = selfAndAncestors();
  const live = listProcesses().filter((p) => !isDead(p) && !spare.has(p.pid));
  const marked = live.filter((p) => carriesMarker(p.pid, record.marker));
  const groups = new Set<number>();
  const singles = new Set<number>();
  for (const group of record.groups) {
    const members = live.filter((p) => p.pgid === group.pgid);
    if (members.length === 0) continue;
    const leader = members.find((p) => p.pid === group.pgid);
    // A leader with another start time means the pgid was recycled: that group is someone else's.
    if (leader && group.startTicks !== undefined && leader.startTicks !== group.startTicks) continue;
    const proven =
      (leader !== undefined && group.startTicks !== undefined) ||
      members.some((p) => marked.some((m) => m.pid === p.pid));
    if (proven && !members.some((p) => spare.has(p.pid))) groups.add(group.pgid);
  }
  for (const p of marked) {
    // A marked process leading its own group made that group (a daemonising descendant): kill it whole.
    if (p.pid === p.pgid && !live.some((q) => q.pgid === p.pgid && spare.has(q.pid))) groups.add(p.pgid);
    else if (!groups.has(p.pgid)) singles.add(p.pid);
  }
  if (groups.size === 0 && singles.size === 0) return { state: "none" };

  const pids = live.filter((p) => groups.has(p.pgid) || singles.has(p.pid)).map((p) => p.pid);
  for (const pgid of groups) signal(-pgid);
  for (const pid of singles) signal(pid);
  const deadline = Date.now() + waitMs;
  let survivors = pids.filter((pid) => !isDead(procStat(pid)));
  while (survivors.length > 0 && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    survivors = survivors.filter((pid) => !isDead(procStat(pid)));
  }
  const killed = { groups: [...groups].sort((a, b) => a - b), pids: pids.sort((a, b) => a - b) };
  return survivors.length > 0 ? { state: "survivors", ...killed, survivors } : { state: "killed", ...killed };
}

function signal(target: number): void {
  try {
    process.kill(target, "SIGKILL");
  } catch {
    // already gone
  }
}

/** One line for a gate's summary saying what became of its processes. */
export function describeLeftovers(verdict: LeftoverVerdict): string {
  switch (verdict.state) {
    case "none":
      return "";
    case "killed":
      return `; its ${verdict.pids.length} leftover process(es) (pid ${verdict.pids.join(", ")}) were killed`;
    case "survivors":
      return `; its leftover processes were killed but pid ${verdict.survivors.join(", ")} still run`;
    case "unchecked":
      return `; its processes were not checked: ${verdict.reason}`;
  }
}
