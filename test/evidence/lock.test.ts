// One writer per target at a time; readers never wait; a dead holder's lock is taken over.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { FileLock } from "../../src/evidence/lock.js";
import { CLI, runCli, spawnCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import { type TempRepo, tempDir } from "../helpers/repo.js";

const SLOW = "gates:\n  - { id: slow, run: 'sleep 4' }\n";

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("condition not reached in time");
}

describe("ledger lock", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("lets exactly one of two concurrent writers proceed; the other exits 2 naming the holder", async () => {
    repo = releaseRepo(SLOW);
    await runCli(INIT, { cwd: repo.dir });
    const args = ["gates", "--release-target", "v0.3.0", "--json"];
    const [a, b] = await Promise.all([spawnCli(args, { cwd: repo.dir }), spawnCli(args, { cwd: repo.dir })]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr).toMatch(new RegExp(`locked by pid \\d+ on ${os.hostname()} since \\d{4}-`));
    expect(loser.json()).toMatchObject({ ok: false, exitCode: 2 });
  });

  it("answers status at once while a long write holds the lock", async () => {
    repo = releaseRepo(SLOW);
    await runCli(INIT, { cwd: repo.dir });
    const ledgerPath = path.join(repo.dir, ".shipgate/v0.3.0/evidence.json");
    const writer = spawn(process.execPath, [CLI, "gates", "--release-target", "v0.3.0"], {
      cwd: repo.dir,
      stdio: "ignore",
    });
    const done = new Promise<number | null>((resolve) => writer.on("close", resolve));
    let writerFinished = false;
    void done.then(() => {
      writerFinished = true;
    });
    await waitFor(() =>
      readFileSync(ledgerPath, "utf8").includes('"status": "running"') ? true : undefined,
    );
    const status = await runCli(["status", "--release-target", "v0.3.0", "--json"], { cwd: repo.dir });
    // The reader finished while the writer still held the lock: it never waited for it.
    expect(writerFinished).toBe(false);
    expect(status.code).toBe(3);
    expect(status.json<{ gates: { status: string }[] }>().gates[0]?.status).toBe("running");
    expect(await done).toBe(0);
  });

  it("takes over a lock whose holder is dead, and refuses one whose holder lives", () => {
    const dir = tempDir();
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const lockPath = path.join(dir, "v1.0.0.lock");
    writeFileSync(
      lockPath,
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: os.hostname(),
        since: "2020-01-01T00:00:00Z",
        command: "ghost",
      }),
    );
    const lock = FileLock.acquire(lockPath, "test");
    expect(JSON.parse(readFileSync(lockPath, "utf8")).pid).toBe(process.pid);
    lock.release();

    writeFileSync(
      lockPath,
      JSON.stringify({
        pid: process.ppid,
        host: os.hostname(),
        since: "2020-01-01T00:00:00Z",
        command: "parent",
      }),
    );
    expect(() => FileLock.acquire(lockPath, "test")).toThrow(`locked by pid ${process.ppid}`);
  });

  it("records a gate left running by a killed run as incomplete, never pass", async () => {
    // The killed run cannot kill its gate's process group, so keep the orphaned sleep short.
    repo = releaseRepo("gates:\n  - { id: slow, run: 'sleep 4' }\n");
    await runCli(INIT, { cwd: repo.dir });
    const ledgerPath = path.join(repo.dir, ".shipgate/v0.3.0/evidence.json");
    const writer = spawn(process.execPath, [CLI, "gates", "--release-target", "v0.3.0"], {
      cwd: repo.dir,
      stdio: "ignore",
    });
    await waitFor(() =>
      readFileSync(ledgerPath, "utf8").includes('"status": "running"') ? true : undefined,
    );
    writer.kill("SIGKILL");
    await new Promise((r) => writer.on("close", r));
    const status = await runCli(["status", "--release-target", "v0.3.0", "--json"], { cwd: repo.dir });
    expect(status.json<{ gates: { status: string }[] }>().gates[0]?.status).toBe("incomplete");
    // The next writer rewrites the orphaned `running` as incomplete in the file itself.
    writeFileSync(
      path.join(repo.dir, "shipgate.yaml"),
      "gates:\n  - { id: slow, run: 'sleep 4' }\n  - { id: quick, run: 'true' }\n",
    );
    const rerun = await runCli(["gates", "--release-target", "v0.3.0", "--only", "quick", "--json"], {
      cwd: repo.dir,
    });
    expect(rerun.code).toBe(0);
    const ledger = JSON.parse(readFileSync(ledgerPath, "utf8"));
    expect(ledger.gates.slow.status).toBe("incomplete");
    expect(ledger.events.map((e: { type: string }) => e.type)).toContain("gates-interrupted");
  });
});
