// `status` decides blockers as the release guard does: by asking the tracker. A blocker the ledger
// records as resolved but the tracker still has open blocks, with the command that closes it; a tracker
// that cannot be asked leaves the blockers undecided (exit 3), never "none".
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import type { TempRepo } from "../helpers/repo.js";

const T = ["--release-target", "v0.3.0"];
const GATE = "gates:\n  - { id: unit, run: 'test -f fixed.txt' }\n";

interface Status {
  openBlockers: { id: string; detail: string }[];
  next: { command: string[]; reason: string } | null;
  trackerError?: string;
}

describe("status and the tracker", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("blocks on a blocker resolved in the ledger but open in the tracker, and says how to close it", async () => {
    repo = releaseRepo(GATE);
    await runCli(INIT, { cwd: repo.dir });
    expect((await runCli(["gates", ...T], { cwd: repo.dir })).code).toBe(1);
    repo.write("fixed.txt", "yes\n");
    repo.commit("fix");
    expect((await runCli(["gates", ...T], { cwd: repo.dir })).code).toBe(0);

    const status = await runCli(["status", ...T, "--json"], { cwd: repo.dir });
    expect(status.code).toBe(1);
    const s = status.json<Status>();
    expect(s.openBlockers).toHaveLength(1);
    const id = s.openBlockers[0]?.id as string;
    expect(s.openBlockers[0]?.detail).toContain(
      "the ledger records it resolved; the local tracker still has it open",
    );
    expect(s.next?.command).toEqual(["shipgate", "blockers", "close", id, ...T]);

    // Following `next` clears it: the agent loop closes.
    const close = await runCli([...(s.next?.command.slice(1) ?? []), "--json"], { cwd: repo.dir });
    expect(close.code).toBe(0);
    const after = await runCli(["status", ...T, "--json"], { cwd: repo.dir });
    expect(after.code).toBe(0);
    expect(after.json<Status>().next?.command).toEqual(["shipgate", "tag", ...T]);
  });

  it("is undecided (exit 3) when the tracker cannot be asked, naming why and what to run", async () => {
    repo = releaseRepo(`tracker: { kind: github, repo: acme/widget, apiUrl: "http://127.0.0.1:9" }\n${GATE}`);
    await runCli(INIT, { cwd: repo.dir });
    repo.write("fixed.txt", "yes\n");
    repo.commit("fix");
    const env = { GH_TOKEN: "ghp_unreachableToken0123456789abcdefghij", GITHUB_TOKEN: "" };
    expect((await runCli(["gates", ...T], { cwd: repo.dir, env })).code).toBe(0);
    const status = await runCli(["status", ...T, "--json"], { cwd: repo.dir, env });
    expect(status.code).toBe(3);
    const s = status.json<Status>();
    expect(s.trackerError).toContain("GitHub could not be reached");
    expect(s.next?.command).toEqual(["shipgate", "blockers", "list", ...T]);
  });
});
