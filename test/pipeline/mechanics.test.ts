// The GitHub release mechanics through the CLI against a real git remote and the loopback GitHub: the
// live sequence makes exactly the expected mutating requests and a rerun none, the dry-run sequence
// exactly one, a failed build files one enriched blocker, a run that never appears is incomplete, a
// live publish refuses on blockers, gates, provenance and a stale tap without dispatching, a publish
// that failed on an already-published version says how to rerun, and publish-preflight names each miss.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FILE_PUBLISH_BLOCKER } from "../helpers/demo-repo.js";
import {
  FORMULA,
  type Mechanics,
  mechanics,
  mechanicsConfig,
  metadataFor,
  T,
  tagged,
} from "../helpers/mechanics.js";
import { plasmiteFormula } from "../homebrew/fixtures.js";

let m: Mechanics | undefined;
afterEach(async () => {
  await m?.cleanup();
  m = undefined;
});

const blockerLog = (s: Mechanics) =>
  readFileSync(path.join(s.repo.dir, ".shipgate/blockers.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { op: string; title: string; body: string });

type Problems = { problems: { kind: string; id: string; detail: string; fix?: string[] }[] };

const WORKFLOW_CHANGE = { ".github/workflows/release-publish.yml": "name: release-publish\n" };

describe("live mechanics", () => {
  it("refuses on a missing rehearsal, an open blocker, a gate not passed, a provenance mismatch or a stale tap without dispatching; makes exactly two dispatches; a rerun of every step makes none", async () => {
    m = await mechanics({ files: WORKFLOW_CHANGE });
    const buildRunId = m.buildRun();
    await tagged(m, "live");
    expect(m.remoteTags()).toContain("refs/tags/v0.3.0");

    const build = await m.cli(["build", ...T]);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(build.json<{ record: object }>().record).toMatchObject({
      runId: String(buildRunId),
      conclusion: "success",
    });
    expect(m.ledger().checkpoint).toMatchObject({ phase: "built", lastRunId: String(buildRunId) });
    const prov = await m.cli(["provenance", ...T]);
    expect(prov.code, prov.stdout + prov.stderr).toBe(0);
    expect(m.ledger().mechanics.provenance).toMatchObject({ ok: true, runId: String(buildRunId) });
    const pre = await m.cli(["publish-preflight", ...T]);
    expect(pre.code, pre.stdout + pre.stderr).toBe(0);

    // Release machinery changed since v0.2.0: the live publish wants a rehearsal first.
    const early = await m.cli(["publish", ...T]);
    expect(early.code, early.stdout + early.stderr).toBe(1);
    expect(early.json<Problems>().problems).toEqual([
      expect.objectContaining({
        kind: "rehearsal",
        detail: expect.stringContaining("changed since v0.2.0: .github/workflows/release-publish.yml"),
        fix: ["shipgate", "publish", ...T, "--rehearsal", "--build-run-id", String(buildRunId)],
      }),
    ]);
    const rehearsal = await m.cli(["publish", ...T, "--rehearsal"]);
    expect(rehearsal.code, rehearsal.stdout + rehearsal.stderr).toBe(0);
    expect(m.mutating()).toHaveLength(1);

    // An open blocker, then a gate no longer passed: refused, nothing dispatched.
    expect((await m.cli(FILE_PUBLISH_BLOCKER)).code).toBe(0);
    const blocked = await m.cli(["publish", ...T]);
    expect(blocked.code).toBe(1);
    expect(blocked.json<Problems>().problems.map((p) => p.kind)).toEqual(["blocker"]);
    const id = blocked.json<Problems>().problems[0]?.id as string;
    expect((await m.cli(["blockers", "close", id, ...T])).code).toBe(0);
    expect((await m.cli(["gates", ...T, "--rerun", "--no-file-blockers"], { UNIT_OK: "0" })).code).toBe(1);
    const gated = await m.cli(["publish", ...T]);
    expect(gated.code).toBe(1);
    expect(gated.json<Problems>().problems).toEqual([
      expect.objectContaining({ kind: "gate", id: "unit", detail: expect.stringMatching(/^fail: /) }),
    ]);
    expect((await m.cli(["gates", ...T, "--rerun"])).code).toBe(0);

    // A build of another version: provenance refuses first (every violation: test/github/provenance).
    const other = m.buildRun({ metadata: metadataFor(m.head, "v0.3.0", "0.3.1"), polls: 0 });
    const mismatch = await m.cli(["publish", ...T, "--build-run-id", String(other)]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.json<Problems>().problems).toEqual([
      expect.objectContaining({
        kind: "provenance",
        id: "version",
        detail: expect.stringContaining("tag/version mismatch"),
      }),
    ]);
    // A build of another commit: its source_sha is not the tag's, nor is the remote tag that commit.
    const elsewhere = m.buildRun({ metadata: metadataFor("f".repeat(40)), polls: 0 });
    const wrongSha = await m.cli(["publish", ...T, "--build-run-id", String(elsewhere)]);
    expect(wrongSha.json<Problems>().problems.map((p) => `${p.kind} ${p.id}`)).toEqual([
      "provenance source-sha",
      "tag v0.3.0",
    ]);

    // A stale tap formula refuses too, with its remedy.
    m.tap.setContent(FORMULA, plasmiteFormula("0.2.0"));
    const stale = await m.cli(["publish", ...T]);
    expect(stale.code).toBe(1);
    expect(stale.json<Problems>().problems).toEqual([
      expect.objectContaining({
        kind: "homebrew",
        detail: expect.stringContaining("stale tap formula: update the tap"),
        fix: ["shipgate", "homebrew", "update", ...T],
      }),
    ]);
    expect(m.mutating()).toHaveLength(1);
    expect(m.ledger().mechanics.publish).toBeUndefined();

    m.tap.setContent(FORMULA, plasmiteFormula("0.3.0"));
    const live = await m.cli(["publish", ...T]);
    expect(live.code, live.stdout + live.stderr).toBe(0);
    expect(m.ledger().mechanics.publish).toMatchObject({
      conclusion: "success",
      buildRunId: String(buildRunId),
      policy: { required: true, satisfiedBy: expect.any(String) },
      homebrew: { status: "verified" },
    });
    expect(m.ledger().checkpoint.phase).toBe("published");
    expect(m.dispatches()).toEqual([
      {
        workflow: ".github/workflows/release-publish.yml",
        ref: "main",
        inputs: {
          build_run_id: String(buildRunId),
          rehearsal: "true",
          allow_partial_release: "false",
          skip_npm: "false",
          skip_pypi: "false",
          skip_crates_io: "false",
        },
      },
      expect.objectContaining({
        inputs: expect.objectContaining({ rehearsal: "false", build_run_id: String(buildRunId) }),
      }),
    ]);
    const mutations = m.mutating();
    expect(mutations.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/sandover/plasmite/actions/workflows/release-publish.yml/dispatches",
      "POST /repos/sandover/plasmite/actions/workflows/release-publish.yml/dispatches",
    ]);

    // The mutating steps again: verified from the remote state, nothing dispatched, nothing tagged.
    const tags = m.remoteTags();
    for (const args of [
      ["tag", ...T],
      ["build", ...T],
      ["publish", ...T, "--rehearsal"],
      ["publish", ...T],
    ]) {
      const again = await m.cli(args);
      expect(again.code, `${args.join(" ")}: ${again.stdout}${again.stderr}`).toBe(0);
    }
    expect(m.mutating()).toEqual(mutations);
    expect(m.remoteTags()).toBe(tags);
    const status = await m.cli(["status", ...T]);
    expect(status.json<{ next: unknown }>().next).toBeNull();
  });
});

describe("dry-run mechanics", () => {
  it("tag → build → provenance → preflight → rehearsal → publish makes one mutating request: the rehearsal dispatch", async () => {
    m = await mechanics();
    const runId = m.buildRun();
    await tagged(m, "dry-run");
    const steps = [
      ["build", ...T],
      ["provenance", ...T],
      ["publish-preflight", ...T],
      ["publish", ...T, "--rehearsal"],
      ["publish", ...T],
    ];
    const outs = [];
    for (const args of steps) {
      const r = await m.cli(args);
      expect(r.code, `${args.join(" ")}: ${r.stdout}${r.stderr}`).toBe(0);
      outs.push(r.json<{ result: string; actions: string[]; actionDetails: { todo: string }[] }>());
    }
    expect(outs.map((o) => o.result)).toEqual(["applied", "applied", "applied", "applied", "planned"]);
    // Rotated credentials ask for a rehearsal first; the dry run's own rehearsal satisfies it.
    const rotated = await m.cli(["publish", ...T, "--credentials-rotated"]);
    expect(rotated.code).toBe(0);
    expect(rotated.json<{ facts: { policy: object } }>().facts.policy).toMatchObject({
      required: true,
      reason: expect.stringContaining("--credentials-rotated"),
      satisfiedBy: String(m.hub.dispatches[0]?.runId),
    });
    // The live publish is only described: what it would dispatch, with which inputs.
    expect(outs[4]?.actionDetails[0]?.todo).toContain(`build_run_id=${runId}, rehearsal=false`);
    expect(m.mutating().map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/sandover/plasmite/actions/workflows/release-publish.yml/dispatches",
    ]);
    expect(m.dispatches()[0]?.inputs).toMatchObject({ rehearsal: "true", build_run_id: String(runId) });
    expect(m.remoteTags()).not.toContain("v0.3.0");
    expect(m.repo.git("tag", "--list", "v0.3.0")).toBe("");
    const ledger = m.ledger();
    expect(ledger.mechanics.tag).toMatchObject({ dryRun: true });
    expect(ledger.mechanics.rehearsal).toMatchObject({ conclusion: "success", dryRun: true });
    expect(ledger.mechanics.publish).toMatchObject({ dryRun: true, plannedAt: expect.any(String) });

    // Again: the rehearsal is not dispatched twice.
    const again = await m.cli(["publish", ...T, "--rehearsal"]);
    expect(again.json<{ result: string }>().result).toBe("verified");
    expect(m.mutating()).toHaveLength(1);
  });
});

describe("build", () => {
  it("a run that never appears is exit 3 saying what was searched; a failed one exits 1 with one blocker naming its failed jobs, URL and a redacted log tail", async () => {
    m = await mechanics();
    await tagged(m, "live");
    const none = await m.cli(["build", ...T, "--wait", "150ms"]);
    expect(none.code, none.stdout + none.stderr).toBe(3);
    expect(none.stderr).toContain("no release.yml run for v0.3.0 appeared within 0.15s");
    expect(none.stderr).toContain(
      `searched runs of workflow release.yml with event=push, head_sha=${m.head}`,
    );
    expect(m.ledger().mechanics.build).toBeUndefined();
    expect((await m.cli(["build", ...T, "--wait", "soon"])).code).toBe(2);

    const planted = "npm_0123456789abcdefghijklmnopqrstuvwxyz";
    const runId = m.buildRun({
      conclusion: "failure",
      jobs: [
        { name: "release-context", conclusion: "success" },
        {
          name: "build-native",
          conclusion: "failure",
          steps: [
            { name: "Set up job", conclusion: "success" },
            { name: "cargo build --release", conclusion: "failure" },
          ],
          log: `${Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n")}\nusing token ${planted}\nerror[E0308]: mismatched types\n`,
        },
        { name: "build-python-dist", conclusion: "cancelled" },
      ],
    });
    const r = await m.cli(["build", ...T]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const out = r.json<Problems & { result: string; next: { command: string[] } }>();
    expect(out.result).toBe("failed");
    expect(out.problems[0]?.detail).toContain("failed jobs: build-native, build-python-dist");
    expect(out.next.command).toEqual([
      "gh",
      "run",
      "rerun",
      String(runId),
      "--failed",
      "--repo",
      "sandover/plasmite",
    ]);

    const tasks = blockerLog(m).filter((e) => e.op === "task");
    expect(tasks).toHaveLength(1);
    const body = tasks[0]?.body ?? "";
    expect(tasks[0]?.title).toContain(`release.yml run ${runId} for v0.3.0 failure`);
    expect(body).toContain(`/sandover/plasmite/actions/runs/${runId}`);
    expect(body).toContain("Failed jobs: build-native, build-python-dist");
    expect(body).toContain("build-native › cargo build --release");
    expect(body).toContain("error[E0308]: mismatched types");
    expect(body).not.toContain("line 5\n");
    expect(body).not.toContain(planted);
    expect(body).toContain("[REDACTED]");
    const ledger = m.ledger();
    expect(ledger.mechanics.build).toMatchObject({
      conclusion: "failure",
      failedJobs: ["build-native", "build-python-dist"],
    });
    expect(ledger.checkpoint).toMatchObject({ phase: "tagged", lastRunId: String(runId) });

    // Rerunning finds the same failed run and the same open blocker: still one.
    expect((await m.cli(["build", ...T])).code).toBe(1);
    expect(blockerLog(m).filter((e) => e.op === "task")).toHaveLength(1);
    expect(m.mutating()).toEqual([]);

    // A live tag that is not on the remote: refused, nothing searched.
    m.repo.git("push", "-q", "origin", ":refs/tags/v0.3.0");
    const refused = await m.cli(["build", ...T]);
    expect(refused.code).toBe(1);
    expect(refused.json<Problems>().problems[0]).toMatchObject({
      kind: "tag",
      detail: expect.stringContaining("not on origin"),
    });
  });
});

describe("publish failures", () => {
  it("a channel already on its registry fails the run with the rerun that skips it; that rerun, once its wait timed out, is waited on again, not dispatched again", async () => {
    m = await mechanics();
    const runId = m.buildRun();
    await tagged(m, "live");
    expect((await m.cli(["build", ...T])).code).toBe(0);
    m.hub.onDispatch("release-publish.yml", ({ inputs }) =>
      inputs.skip_npm === "true"
        ? { conclusion: "success", completeAfterPolls: 12 }
        : {
            conclusion: "failure",
            completeAfterPolls: 1,
            jobs: [
              { name: "publish-crates-io", conclusion: "success" },
              {
                name: "publish-npm",
                conclusion: "failure",
                log: "npm error code E403\nnpm error 403 You cannot publish over the previously published versions: 0.3.0.\n",
              },
            ],
          },
    );
    expect((await m.cli(["publish", ...T, "--skip", "npm"])).code).toBe(2);
    expect((await m.cli(["publish", ...T, "--skip", "rubygems", "--allow-partial-release"])).code).toBe(2);
    const failed = await m.cli(["publish", ...T]);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    const out = failed.json<Problems & { next: { command: string[] } }>();
    const rerun = [
      ...["shipgate", "publish", ...T],
      "--build-run-id",
      String(runId),
      "--skip",
      "npm",
      "--allow-partial-release",
    ];
    expect(out.problems[0]?.detail).toContain("npm already serves this version: that channel is live");
    expect(out.next.command).toEqual(rerun);
    const task = blockerLog(m).find((e) => e.op === "task");
    expect(task?.body).toContain(rerun.join(" "));
    expect(task?.body).toContain("Failed jobs: publish-npm");

    // The run's blocker holds the release until it is closed; then the publish-only rerun goes.
    const refused = await m.cli(rerun.slice(1));
    expect(refused.json<Problems>().problems.map((p) => p.kind)).toEqual(["blocker"]);
    const blocker = refused.json<Problems>().problems[0]?.id as string;
    expect((await m.cli(["blockers", "close", blocker, ...T])).code).toBe(0);
    const slow = await m.cli([...rerun.slice(1), "--wait", "30ms"]);
    expect(slow.code, slow.stdout + slow.stderr).toBe(1);
    expect(slow.json<Problems>().problems[0]?.detail).toContain("did not complete within 0.03s");
    expect(m.ledger().mechanics.publish).toMatchObject({ timedOut: true, conclusion: null });
    const ok = await m.cli(rerun.slice(1));
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.json<{ actions: string[] }>().actions).toEqual(["wait"]);
    expect(m.ledger().mechanics.publish).toMatchObject({ conclusion: "success", skip: ["npm"] });
    expect(m.dispatches().map((d) => d.inputs.skip_npm)).toEqual(["false", "true"]);
    expect(m.dispatches()[1]?.inputs.allow_partial_release).toBe("true");
  });
});

describe("publish-preflight", () => {
  it("names each missing secret and a red or missing CI run, with remedies; exit 3 when only undecidable", async () => {
    m = await mechanics({
      config: mechanicsConfig().replace(
        "requiredSecrets: [NPM_TOKEN]",
        "requiredSecrets: [CARGO_REGISTRY_TOKEN, PYPI_API_TOKEN, NPM_TOKEN]",
      ),
    });
    expect(
      (await m.cli(["init", ...T, "--base-tag", "v0.2.0", "--mode", "live", "--agent", "tester@ci"])).code,
    ).toBe(0);
    const ci = m.hub.runs.find((r) => r.event === "push");
    if (ci) ci.finalConclusion = "failure";
    m.hub.workflow("release-publish.yml")!.state = "disabled_manually";

    const r = await m.cli(["publish-preflight", ...T]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const out = r.json<Problems & { record: { checks: { id: string; status: string }[] } }>();
    expect(out.problems.map((p) => `${p.kind} ${p.id}`)).toEqual([
      "preflight secret CARGO_REGISTRY_TOKEN",
      "preflight secret PYPI_API_TOKEN",
      "preflight workflow release-publish.yml",
      "preflight ci",
    ]);
    expect(out.problems[0]).toMatchObject({
      detail: expect.stringContaining("rerun publish-only with the same build run"),
      fix: ["gh", "secret", "set", "CARGO_REGISTRY_TOKEN", "--repo", "sandover/plasmite"],
    });
    expect(out.problems[2]?.fix).toEqual([
      "gh",
      "workflow",
      "enable",
      "release-publish.yml",
      "--repo",
      "sandover/plasmite",
    ]);
    expect(out.problems[3]?.detail).toMatch(/ci\.yml run \d+ for .* concluded failure: CI is red/);
    expect(out.record.checks.filter((c) => c.status === "pass").map((c) => c.id)).toEqual([
      "secret NPM_TOKEN",
      "pushed",
      "base-tag",
      "workflow release.yml",
    ]);

    // A commit not pushed, no CI run for it, a base tag the remote lacks.
    m.repo.write("late.txt", "late\n");
    m.repo.commit("late change");
    m.repo.git("push", "-q", "origin", ":refs/tags/v0.2.0");
    for (const name of ["CARGO_REGISTRY_TOKEN", "PYPI_API_TOKEN"]) m.hub.addSecret(name);
    m.hub.workflow("release-publish.yml")!.state = "active";
    const late = await m.cli(["publish-preflight", ...T]);
    expect(late.code).toBe(1);
    const details = late.json<Problems>().problems.map((p) => `${p.id}: ${p.detail}`);
    expect(details).toEqual([
      expect.stringMatching(/^pushed: local HEAD \w+ is not origin's refs\/heads\/main/),
      expect.stringContaining("base-tag: base tag v0.2.0 is not on origin"),
      expect.stringMatching(/^ci: no ci\.yml run for the release commit/),
    ]);

    // Everything in order: exit 0; then a secrets listing GitHub refuses, with nothing else wrong: exit 3.
    m.repo.git("push", "-q", "origin", "main", "v0.2.0");
    m.hub.addRun({
      workflow: "ci.yml",
      event: "push",
      headSha: m.repo.git("rev-parse", "HEAD"),
      headBranch: "main",
    });
    expect((await m.cli(["publish-preflight", ...T])).code).toBe(0);
    m.gh.fail("GET /repos/sandover/plasmite/actions/secrets", {
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    const unknown = await m.cli(["publish-preflight", ...T]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("the token lacks permission");
    expect(m.mutating()).toEqual([]);
  });
});
