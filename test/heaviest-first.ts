// Test-file order: the longest files first, so that on a clean clone (no timing cache from an earlier
// run, as in CI) the two cores are not left with one long file at the end. vitest's own order needs
// that cache; without it, it starts the largest files first, and size says little about duration here.
import { statSync } from "node:fs";
import path from "node:path";
import type { TestSequencer, TestSpecification } from "vitest/node";
import { BaseSequencer } from "vitest/node";

/** Measured wall time in a full run, longest first (refresh when a file's cost changes much). */
const LONGEST = [
  "test/pipeline/run.test.ts",
  "test/pipeline/mechanics.test.ts",
  "test/faults.test.ts",
  "test/channels/channels.test.ts",
  "test/bench/guard.test.ts",
  "test/evidence/lock.test.ts",
  "test/pipeline/tag.test.ts",
  "test/gates/engine.test.ts",
  "test/skill.test.ts",
  "test/agent.test.ts",
  "test/evidence/crash.test.ts",
  "test/evidence/redact.test.ts",
  "test/evidence/interrupts.test.ts",
  "test/report/browser.test.ts",
  "test/trackers/github.test.ts",
  "test/trackers/contract.test.ts",
  "test/trackers/local.test.ts",
  "test/trackers/ergo.test.ts",
];

export class HeaviestFirst extends BaseSequencer implements TestSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const i = LONGEST.indexOf(path.relative(process.cwd(), spec.moduleId).split(path.sep).join("/"));
      return i === -1 ? LONGEST.length : i;
    };
    const size = (spec: TestSpecification) => statSync(spec.moduleId, { throwIfNoEntry: false })?.size ?? 0;
    return [...files].sort((a, b) => rank(a) - rank(b) || size(b) - size(a));
  }
}
