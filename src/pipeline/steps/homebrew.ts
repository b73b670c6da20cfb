// Release step "homebrew": aligns the tap's formula with the build. The plan computes the new formula
// from the sums of the build run recorded by `shipgate build` (or an explicit run or sums file); apply
// rewrites version, urls and sha256 values in place in the tap checkout, and in live mode commits the
// formula (and pushes, when asked). Dry runs rewrite the file only. A second run changes nothing.
import path from "node:path";
import * as z from "zod";
import { UsageError } from "../../errors.js";
import type { FormulaUpdate } from "../../homebrew/formula.js";
import { defineStep, type StepAction, type StepContext, type StepProblem } from "../step.js";

const changeSchema = z.strictObject({
  line: z.number().int(),
  field: z.enum(["version", "url", "sha256"]),
  platform: z.string().optional(),
  from: z.string(),
  to: z.string(),
});

export const homebrewRecordSchema = z.strictObject({
  tag: z.string(),
  version: z.string(),
  tapPath: z.string(),
  formulaPath: z.string(),
  source: z.strictObject({
    kind: z.enum(["sha256sums", "build-run"]),
    file: z.string().optional(),
    runId: z.string().optional(),
    /** How the build's sums were found: its sha256sums.txt, or computed from its archives. */
    origin: z.string().optional(),
  }),
  /** The sums the formula was aligned with, by asset name. */
  sums: z.record(z.string(), z.string()),
  changes: z.array(changeSchema),
  dryRun: z.boolean(),
  /** The formula file in the checkout holds the release. */
  written: z.boolean(),
  /** The tap commit holding it; null until committed (never in a dry run). */
  commit: z.string().nullable(),
  branch: z.string().nullable(),
  remote: z.string(),
  pushRequested: z.boolean(),
  pushed: z.boolean(),
  at: z.string(),
  verifiedAt: z.string().optional(),
});
export type HomebrewRecord = z.infer<typeof homebrewRecordSchema>;

export interface HomebrewInput {
  /** The tap checkout (default homebrew.tapPath, relative to the repository root). */
  tapPath?: string | undefined;
  sha256sums?: string | undefined;
  buildRunId?: string | undefined;
  /** Push the commit (live mode only); default homebrew.push. */
  push?: boolean | undefined;
  remote?: string | undefined;
}

export interface HomebrewFacts {
  tag: string;
  version: string;
  tapPath: string;
  formulaPath: string;
  formulaFile: string;
  source: HomebrewRecord["source"];
  sums: Record<string, string>;
  changes: HomebrewRecord["changes"];
  branch: string | null;
  remote: string;
  push: boolean;
  dryRun: boolean;
}

/** The step's machinery, loaded when it runs: the ledger schema loads this module for every command. */
async function deps() {
  const [formula, sources, tap, template, sums, client, atomic] = await Promise.all([
    import("../../homebrew/formula.js"),
    import("../../homebrew/sources.js"),
    import("../../homebrew/tap.js"),
    import("../../artifacts/asset-template.js"),
    import("../../artifacts/sha256sums.js"),
    import("../../github/client.js"),
    import("write-file-atomic"),
  ]);
  return { ...formula, ...sources, ...tap, ...template, ...sums, ...client, writeFileAtomic: atomic.default };
}

const now = () => new Date().toISOString();
// Not context/inputs (which loads semver): the ledger schema loads this module for every command.
const versionOf = (tag: string) => tag.replace(/^v/, "");
const short = (sha: string) => sha.slice(0, 12);

/** The build run `shipgate build` recorded (read defensively: that step's record is not typed here). */
function recordedBuildRun(ctx: StepContext<HomebrewRecord>): string | undefined {
  const runId = (ctx.records.build as { runId?: unknown } | undefined)?.runId;
  if (typeof runId === "string" && runId !== "") return runId;
  if (typeof runId === "number") return String(runId);
  return undefined;
}

function commitMessage(formulaPath: string, version: string, tag: string): string {
  return `${path.basename(formulaPath, ".rb")} ${version}\n\nAligned with the ${tag} build's sha256sums.txt by shipgate.`;
}

export const homebrewStep = defineStep<HomebrewInput, HomebrewFacts, HomebrewRecord, "homebrew">({
  name: "homebrew",
  phase: "tap-aligned",
  command: ["homebrew", "update"],
  record: homebrewRecordSchema,
  configured: (config) => config.homebrew !== undefined,
  describe: (r) => ({
    state: r.dryRun
      ? "rewritten (dry-run, not committed)"
      : r.commit === null
        ? "rewritten, not committed"
        : r.pushed
          ? "committed and pushed"
          : r.pushRequested
            ? "committed, not pushed"
            : "committed",
    detail: `${r.formulaPath} at ${r.version}${r.commit ? ` in ${short(r.commit)}` : ""} (${r.tapPath})`,
  }),
  succeeded: (r) => !r.dryRun && r.commit !== null && (!r.pushRequested || r.pushed),

  async plan(ctx, input) {
    const {
      FormulaUpdateError,
      updateFormula,
      formulaTarget,
      homebrewSettings,
      readInputFile,
      sumsFromBuildRun,
      sumsFromFile,
      committedFormula,
      remoteBranch,
      remoteHas,
      tapHead,
      tapRoot,
      assetName,
      sumFor,
      githubFor,
    } = await deps();
    const tag = ctx.release.releaseTarget;
    const hb = homebrewSettings(ctx.config, ["formulaPath", "assetTemplate"]);
    const target = formulaTarget(ctx.config, tag);
    const dir = input.tapPath ?? (hb.tapPath ? path.resolve(ctx.repoRoot, hb.tapPath) : undefined);
    if (!dir) throw new UsageError("no tap checkout: pass --tap-path DIR or set homebrew.tapPath");
    const tap = await tapRoot(dir);
    if (input.sha256sums && input.buildRunId)
      throw new UsageError("give --sha256sums or --build-run-id, not both");

    const head = await tapHead(tap);
    const remote = input.remote ?? "origin";
    const push = !ctx.dryRun && (input.push ?? hb.push);
    const formulaFile = path.join(tap, hb.formulaPath);
    const facts: HomebrewFacts = {
      tag,
      version: versionOf(tag),
      tapPath: tap,
      formulaPath: hb.formulaPath,
      formulaFile,
      source: input.sha256sums
        ? { kind: "sha256sums", file: path.resolve(input.sha256sums) }
        : { kind: "build-run" },
      sums: {},
      changes: [],
      branch: head.branch,
      remote,
      push,
      dryRun: ctx.dryRun,
    };
    const problems: StepProblem[] = [];
    let sums: Map<string, string>;
    if (input.sha256sums) {
      sums = await sumsFromFile(input.sha256sums);
    } else {
      const runId = input.buildRunId ?? recordedBuildRun(ctx);
      if (!runId) {
        problems.push({
          kind: "build",
          id: "build",
          detail:
            "no build run is recorded for this release: run `shipgate build` first (or pass --build-run-id N or --sha256sums FILE)",
          fix: ["shipgate", "build", "--release-target", tag],
        });
        return { problems, actions: [], facts };
      }
      const gh = await githubFor(ctx.config.github, ctx.repoRoot);
      ctx.progress(`reading the sums of build run ${runId}`);
      const found = await sumsFromBuildRun(gh, runId, target);
      sums = found.sums;
      facts.source = { kind: "build-run", runId, origin: found.origin };
    }
    // Only the configured platforms' archives are the formula's business (and the record's).
    for (const platform of target.platforms) {
      const name = assetName(target.template, target.version, platform);
      const digest = sumFor(sums, name);
      if (digest !== undefined) facts.sums[name] = digest;
    }

    const current = await readInputFile(formulaFile, "the tap formula");
    let update: FormulaUpdate<Buffer> | undefined;
    try {
      update = updateFormula(current, sums, target);
      facts.changes = update.changes;
    } catch (err) {
      if (!(err instanceof FormulaUpdateError)) throw err;
      for (const p of err.problems)
        problems.push({
          kind: "formula",
          id: p.platform ?? (p.line !== undefined ? `line ${p.line}` : hb.formulaPath),
          detail: p.message,
        });
    }
    if (!update) return { problems, actions: [], facts };

    const actions: StepAction[] = [];
    const what = `${hb.formulaPath} to ${facts.version}`;
    if (update.changed)
      actions.push({
        id: "write",
        todo: `rewrite ${what} (${update.changes.length} values) in ${tap}`,
        done: `rewrote ${what} (${update.changes.length} values)`,
      });
    if (!ctx.dryRun) {
      const committed = await committedFormula(tap, hb.formulaPath);
      if (!committed?.equals(update.formula))
        actions.push({
          id: "commit",
          todo: `commit ${hb.formulaPath} in the tap`,
          done: `committed ${hb.formulaPath}`,
        });
      if (push) {
        if (!head.branch) {
          problems.push({
            kind: "tap",
            id: tap,
            detail: "the tap checkout is not on a branch (detached HEAD): nothing to push to",
          });
        } else {
          const onRemote = await remoteBranch(tap, remote, head.branch);
          const needs = actions.some((a) => a.id === "commit") || !(await remoteHas(tap, onRemote, head.sha));
          if (needs)
            actions.push({
              id: "push",
              todo: `push the tap's ${head.branch} to ${remote}`,
              done: `pushed the tap's ${head.branch} to ${remote}`,
            });
        }
      }
    }
    return { problems, actions, facts };
  },

  // The rewrite is local to the tap checkout: a dry run makes it, so the diff can be read; it never commits.
  appliesInDryRun: () => true,

  planned: (plan) => ({
    tag: plan.facts.tag,
    version: plan.facts.version,
    tapPath: plan.facts.tapPath,
    formulaPath: plan.facts.formulaPath,
    source: plan.facts.source,
    sums: plan.facts.sums,
    changes: plan.facts.changes,
    dryRun: true,
    written: false,
    commit: null,
    branch: plan.facts.branch,
    remote: plan.facts.remote,
    pushRequested: false,
    pushed: false,
    at: now(),
  }),

  async apply(ctx, plan) {
    const {
      updateFormula,
      formulaTarget,
      homebrewSettings,
      readInputFile,
      commitFormula,
      pushTap,
      remoteBranch,
      remoteHas,
      tapHead,
      writeFileAtomic,
    } = await deps();
    const { facts } = plan;
    const ids = plan.actions.map((a) => a.id);
    const hb = homebrewSettings(ctx.config, ["formulaPath", "assetTemplate"]);
    const target = formulaTarget(ctx.config, facts.tag);
    const sums = new Map(Object.entries(facts.sums));
    const base: HomebrewRecord = {
      tag: facts.tag,
      version: facts.version,
      tapPath: facts.tapPath,
      formulaPath: hb.formulaPath,
      source: facts.source,
      sums: facts.sums,
      changes: facts.changes,
      dryRun: ctx.dryRun,
      written: false,
      commit: null,
      branch: facts.branch,
      remote: facts.remote,
      pushRequested: facts.push,
      pushed: false,
      at: now(),
    };
    if (ids.includes("write")) {
      // Recomputed from the file as it is now, so nothing written between plan and apply is lost.
      const current = await readInputFile(facts.formulaFile, "the tap formula");
      const { formula } = updateFormula(current, sums, target);
      writeFileAtomic.sync(facts.formulaFile, formula);
    }
    const record: HomebrewRecord = { ...base, written: true };
    if (ctx.dryRun) return { record };
    if (ids.includes("commit")) {
      record.commit = await commitFormula(
        facts.tapPath,
        hb.formulaPath,
        commitMessage(hb.formulaPath, facts.version, facts.tag),
      );
      ctx.save(record);
    } else {
      record.commit = (await tapHead(facts.tapPath)).sha;
    }
    if (facts.push && facts.branch) {
      if (ids.includes("push")) await pushTap(facts.tapPath, facts.remote, facts.branch);
      const onRemote = await remoteBranch(facts.tapPath, facts.remote, facts.branch);
      record.pushed = onRemote !== null && (await remoteHas(facts.tapPath, onRemote, record.commit));
      if (!record.pushed) ctx.save(record);
    }
    return { record };
  },

  /** Done before: the tap still holds the commit, and its formula still matches the recorded sums. */
  async verify(ctx, record, input) {
    const { verifyFormula, formulaTarget, committedFormula, isAncestor } = await deps();
    const problems: StepProblem[] = [];
    const tap = record.tapPath;
    const target = formulaTarget(ctx.config, record.tag);
    if (record.commit && !(await isAncestor(tap, record.commit)))
      problems.push({
        kind: "tap",
        id: tap,
        detail: `the tap's HEAD no longer contains ${short(record.commit)}`,
      });
    const committed = await committedFormula(tap, record.formulaPath);
    if (!committed)
      problems.push({
        kind: "tap",
        id: record.formulaPath,
        detail: `the tap's HEAD has no ${record.formulaPath}`,
      });
    else
      for (const p of verifyFormula(committed, new Map(Object.entries(record.sums)), target))
        problems.push({ kind: "formula", id: p.platform ?? record.formulaPath, detail: p.message });
    if (input.push && !record.pushed && !ctx.dryRun)
      problems.push({
        kind: "tap",
        id: tap,
        detail: `committed ${short(record.commit ?? "")} but not pushed`,
        fix: ["git", "-C", tap, "push", record.remote, `HEAD:refs/heads/${record.branch ?? "main"}`],
      });
    return problems;
  },
});
