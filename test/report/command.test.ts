// `shipgate report` end to end in-process: the default path beside the ledger, --html relative to the
// working directory, the JSON result with `next`, and refusals (no ledger, a contradicting flag, a path
// that cannot be written).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import { type TempRepo, tempDir } from "../helpers/repo.js";

const T = ["--release-target", "v0.3.0"];
let repo: TempRepo;

beforeAll(async () => {
  repo = releaseRepo(
    "gates:\n  - { id: unit, run: \"echo '<script>alert(1)</script>'; exit 1\" }\n  - { id: lint, run: 'true' }\n",
  );
  expect((await runCli(INIT, { cwd: repo.dir })).code).toBe(0);
  expect((await runCli(["gates", ...T], { cwd: repo.dir })).code).toBe(1);
});
afterAll(() => repo.cleanup());

describe("shipgate report", () => {
  it("writes report.html beside the ledger and says what to do next", async () => {
    const res = await runCli(["report", ...T, "--json"], { cwd: repo.dir });
    expect(res.code).toBe(0);
    const out = res.json<{
      ok: boolean;
      path: string;
      counts: Record<string, number>;
      next: { command: string[] };
    }>();
    expect(out.ok).toBe(true);
    expect(out.path).toBe(path.join(repo.dir, ".shipgate", "v0.3.0", "report.html"));
    expect(out.counts).toMatchObject({ gates: 2, blockers: 1, benchScenarios: 0 });
    expect(out.next.command).toEqual(["shipgate", "gates", ...T, "--only", "unit"]);
    const html = readFileSync(out.path, "utf8");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/<script/i);
    // The plain-text twin names the same gates and blocker.
    const md = readFileSync(path.join(repo.dir, ".shipgate", "v0.3.0", "evidence.md"), "utf8");
    const blocker = /\| (T\d+) \| unit \|/.exec(md)?.[1] as string;
    expect(blocker).toBeDefined();
    for (const id of ["unit", "lint", blocker]) expect(html).toContain(`>${id}<`);

    const human = await runCli(["report", ...T], { cwd: repo.dir });
    expect(human.stdout).toContain(`wrote ${out.path}`);
    expect(human.stdout).toContain("next: fix what blocks unit");
  });

  it("writes --html relative to the working directory (--cwd included), creating its directory", async () => {
    const elsewhere = tempDir();
    const res = await runCli(["--cwd", repo.dir, "report", ...T, "--html", "out/r.html", "--json"], {
      cwd: elsewhere,
    });
    expect(res.code).toBe(0);
    expect(res.json<{ path: string }>().path).toBe(path.join(repo.dir, "out", "r.html"));
    expect(existsSync(path.join(repo.dir, "out", "r.html"))).toBe(true);
  });

  it("refuses without a ledger (exit 2, naming init), on a contradicting flag, and on a path it cannot write", async () => {
    const none = await runCli(["report", "--release-target", "v0.4.0", "--json"], { cwd: repo.dir });
    expect(none.code).toBe(2);
    expect(none.json<{ next: { command: string[] } }>().next.command.slice(0, 2)).toEqual([
      "shipgate",
      "init",
    ]);
    expect((await runCli(["report", ...T, "--mode", "live"], { cwd: repo.dir })).code).toBe(2);
    mkdirSync(path.join(repo.dir, "a-directory"), { recursive: true });
    const blocked = await runCli(["report", ...T, "--html", "a-directory"], { cwd: repo.dir });
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain("could not write the report");
  });
});
