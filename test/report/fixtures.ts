// Test fixtures for the report: ledgers built in memory and validated by the ledger's own schema — one
// with every section filled by hostile, long and odd values, one freshly initialized with nothing in it.
import { type Ledger, ledgerSchema } from "../../src/evidence/schema.js";

/** A GitHub-token-shaped string made at test time; it must never appear in a report. */
export const TOKEN = `ghp_${"A1b2C3d4".repeat(5)}`;
export const SCRIPT = "<script>alert(1)</script>";
export const LONG = `${"unbroken".repeat(40)}`;

const context = {
  releaseTarget: "v0.3.0",
  baseTag: "v0.2.0",
  mode: "dry-run",
  agent: "tester@ci",
  initializedAt: "2025-01-01T10:00:00.000Z",
};

export function emptyLedger(): Ledger {
  return ledgerSchema.parse({
    schemaVersion: 1,
    context,
    checkpoint: {
      updatedAt: context.initializedAt,
      phase: "initialized",
      branch: "main",
      sha: "0123456789abcdef0123456789abcdef01234567",
      remoteTag: "unknown",
      lastRunId: null,
      lastRunUrl: null,
      blockerEpicId: null,
      openBlockers: 0,
    },
    gates: {},
    events: [{ at: context.initializedAt, type: "initialized", data: context }],
  });
}

/** Every section filled; gates, blockers and events carry markup, a token, bad links and long words. */
export function fullLedger(): Ledger {
  const base = emptyLedger();
  return ledgerSchema.parse({
    ...base,
    checkpoint: {
      ...base.checkpoint,
      phase: "tagged",
      remoteTag: "absent",
      lastRunId: "4242",
      lastRunUrl: "https://github.example/acme/widget/actions/runs/4242",
      blockerEpicId: "E1",
      openBlockers: 1,
    },
    gates: {
      unit: {
        id: "unit",
        name: `Unit "tests" ${SCRIPT}`,
        kind: "command",
        status: "fail",
        summary: `exited 1: ${SCRIPT} token ${TOKEN} see https://ci.example/logs/7.`,
        startedAt: "2025-01-01T10:01:00.000Z",
        finishedAt: "2025-01-01T10:01:02.500Z",
        durationMs: 2500,
        commands: [{ command: `npm test -- --grep '<b>'`, exitCode: 1, durationMs: 2400 }],
        excerpt: `FAIL test/a.test.ts\n  expected <div> to equal </div>\n  Authorization: Bearer ${TOKEN}\n${LONG}`,
        logPath: ".shipgate/v0.3.0/logs/unit.log",
        blockerId: "T2",
      },
      lint: {
        id: "lint",
        name: "lint",
        kind: "command",
        status: "pass",
        summary: "1 command passed",
        durationMs: 300,
        commands: [{ command: "npm run lint", exitCode: 0, durationMs: 290 }],
        cached: true,
      },
      docs: {
        id: "docs",
        name: "docs",
        kind: "changelog",
        status: "skipped",
        summary: "no file under docs/ changed",
        commands: [],
        details: { trigger: { changed: ["docs/**"] }, matched: [] },
      },
    },
    blockers: [
      {
        id: "T2",
        check: "unit",
        title: `unit failed: ${SCRIPT}`,
        state: "open",
        tracker: "github",
        filedAt: "2025-01-01T10:01:03.000Z",
        url: "https://github.example/acme/widget/issues/2",
      },
      {
        id: "T3",
        check: "publish",
        title: "publish run failed",
        state: "resolved",
        tracker: "github",
        filedAt: "2025-01-01T10:02:00.000Z",
        resolvedAt: "2025-01-01T10:05:00.000Z",
        url: "javascript:alert(1)",
      },
      {
        id: "T4",
        check: "notices",
        title: "notices missing",
        state: "closed",
        tracker: "local",
        filedAt: "2025-01-01T10:03:00.000Z",
        url: "file:///etc/passwd",
      },
    ],
    bench: {
      status: "fail",
      summary: "1 regressed, 1 ok, 1 inconclusive, 1 no_baseline",
      runsPerSide: 5,
      finishedAt: "2025-01-01T10:04:00.000Z",
      decidedBy: { statistic: "ratio of medians", confidence: 0.95, thresholdPercent: 15, notes: [] },
      verdicts: [
        {
          scenario: "append",
          verdict: "regressed",
          baseMedian: 0.01,
          candidateMedian: 0.013,
          regressionPercent: 30,
          ci: [1.22, 1.38],
        },
        {
          scenario: "get_scan",
          verdict: "ok",
          baseMedian: 1.2,
          candidateMedian: 1.19,
          regressionPercent: -0.8,
          ci: [0.95, 1.04],
        },
        {
          scenario: `multi_writer ${SCRIPT}`,
          verdict: "inconclusive",
          baseMedian: 2,
          candidateMedian: 2.2,
          slowdown: 1.1,
          ci: [0.9, null],
          note: "interval unbounded above",
        },
        {
          scenario: "new_bench",
          verdict: "no_baseline",
          baseMedian: null,
          candidateMedian: 3,
          regressionPercent: null,
          ci: null,
          missingOn: "base",
        },
      ],
      charts: [".shipgate/v0.3.0/bench/charts/append.svg"],
      rawDir: ".shipgate/v0.3.0/bench/raw",
      futureField: { anything: ["goes", 1, true] },
    },
    mechanics: {
      tag: {
        tag: "v0.3.0",
        sha: "0123456789abcdef0123456789abcdef01234567",
        remote: "https://git.example/acme/widget.git",
        dryRun: true,
        actions: ["create", "push"],
        plannedAt: "2025-01-01T10:06:00.000Z",
      },
    },
    delivery: {
      "npm:widget": {
        kind: "npm",
        status: "live",
        summary: "widget@0.3.0 is served",
        url: "https://registry.example/widget",
        versionExpected: "0.3.0",
        versionSeen: "0.3.0",
        checkedAt: "2025-01-01T10:07:00.000Z",
        durationMs: 120,
        attempts: 1,
        dryRun: true,
      },
      "pypi:widget": {
        kind: "pypi",
        status: "missing",
        summary: `not yet there ${SCRIPT}`,
        url: `https://pypi.example/pypi/widget/json?${LONG}`,
        versionExpected: "0.3.0",
        versionSeen: null,
        checkedAt: "2025-01-01T10:07:01.000Z",
        durationMs: 3000,
        attempts: 4,
        dryRun: true,
      },
      "go:example.com/widget": {
        kind: "go",
        status: "wrong",
        summary: "proxy serves another commit",
        url: "data:text/html,<b>hi</b>",
        versionExpected: "0.3.0",
        versionSeen: "0.2.9",
        checkedAt: "2025-01-01T10:07:02.000Z",
        durationMs: 80,
        attempts: 1,
        dryRun: true,
      },
    },
    events: [
      ...base.events,
      { at: "2025-01-01T10:01:00.000Z", type: "gate-started", data: { id: "unit" } },
      {
        at: "2025-01-01T10:01:02.500Z",
        type: "gate-finished",
        data: { id: "unit", status: "fail", note: SCRIPT },
      },
      {
        at: "2025-01-01T10:01:03.000Z",
        type: "blocker-filed",
        data: {
          id: "T2",
          check: "unit",
          run: "https://github.example/acme/widget/actions/runs/4242",
          token: TOKEN,
        },
      },
      {
        at: "2025-01-01T10:01:04.000Z",
        type: "blocker-would-file",
        data: { id: "publish", tracker: "github", epic: "Release v0.3.0", title: `publish failed ${SCRIPT}` },
      },
      { at: "2025-01-01T10:04:00.000Z", type: "bench-recorded", data: { source: "gate", status: "fail" } },
      { at: "2025-01-01T10:06:00.000Z", type: "tag-planned", data: { step: "tag", long: LONG } },
    ],
  });
}
