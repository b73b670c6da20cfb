// Progress on a real pseudo-terminal (script(1)): the live list shows each gate running, then its
// outcome and duration; off a TTY the same run prints one plain line per start and finish.
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import type { TempRepo } from "../helpers/repo.js";

const CONFIG = `gates:
  - { id: slow, name: Slow suite, run: 'sleep 1' }
  - { id: broken, name: Broken suite, run: 'exit 4' }
  - { id: deps, name: Dependency audit, when: { changed: ['Cargo.lock'] }, run: 'true' }
`;

/** Strips colours and cursor movement, and splits on carriage returns as a terminal would redraw. */
function screenText(raw: string): string {
  return raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "\n");
}

// script(1) needs a pseudo-terminal from the kernel; a sandbox without /dev/pts cannot give one, and
// then there is no terminal to draw on at all. That is the only reason the TTY test is skipped.
const ptyAvailable = spawnSync("script", ["-q", "-e", "-c", "true", "/dev/null"]).status === 0;

describe("gate progress", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it.skipIf(!ptyAvailable)(
    "draws a live list on a TTY: running titles, then outcome and duration per gate",
    async () => {
      repo = releaseRepo(CONFIG);
      expect((await runCli(INIT, { cwd: repo.dir })).code).toBe(0);
      const command = `${process.execPath} ${CLI} gates --release-target v0.3.0`;
      const res = spawnSync("script", ["-q", "-e", "-c", command, "/dev/null"], {
        cwd: repo.dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", COLUMNS: "" },
        timeout: 60_000,
      });
      expect(res.status).toBe(1);
      const screen = screenText(res.stdout);
      expect(screen).toContain("Slow suite (running)");
      expect(screen).toMatch(/✔ Slow suite: 1 command passed \[\d+\.\ds\]/);
      expect(screen).toMatch(/✖ Broken suite/);
      expect(screen).toContain("Broken suite: `exit 4` exited 4");
      expect(screen).toMatch(/↓ Dependency audit: skipped: /);
      // No line wrapped after a handful of characters (a 0-column pseudo-terminal once did that).
      expect(screen).toContain("1 pass, 1 fail, 1 skipped");
    },
  );

  it("prints one line per start and finish off a TTY", async () => {
    repo = releaseRepo(CONFIG);
    expect((await runCli(INIT, { cwd: repo.dir })).code).toBe(0);
    const res = await runCli(["gates", "--release-target", "v0.3.0", "--jobs", "1"], { cwd: repo.dir });
    expect(res.code).toBe(1);
    const lines = res.stdout.split("\n").filter((l) => /^(start|done |BLOCK)/.test(l));
    expect(lines).toContain("start slow: Slow suite");
    expect(lines).toContainEqual(expect.stringMatching(/^done {2}slow pass \(\d+\.\ds\): 1 command passed$/));
    expect(lines).toContainEqual(expect.stringMatching(/^BLOCK broken fail \(/));
    expect(lines).toContainEqual(expect.stringMatching(/^done {2}deps skipped/));
  });
});
