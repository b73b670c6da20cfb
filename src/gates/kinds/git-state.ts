// Gate kind `git-state`: the working tree is clean (the evidence directory aside) and nothing local
// is ahead of upstream. When git cannot answer (not a repository, git missing) the gate is incomplete.
import path from "node:path";
import * as z from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import { git, upstreamState, workingTreeState } from "../../context/git.js";
import { errorMessage } from "../../errors.js";
import { defineGateKind } from "../types.js";

export const gitStateGateSchema = z.strictObject({
  ...commonGateFields,
  kind: z.literal("git-state"),
  requireUpstream: z
    .boolean()
    .default(false)
    .meta({ description: "block when the branch has no upstream at all" }),
});
export type GitStateGate = z.infer<typeof gitStateGateSchema>;

const SHOWN_ENTRIES = 10;

/** The evidence directory relative to the repo root, or null when it lies outside (nothing to exclude). */
function evidenceExclude(repoRoot: string, evidenceDir: string): string | null {
  const rel = path.relative(repoRoot, path.resolve(repoRoot, evidenceDir));
  if (rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join("/");
}

export const gitStateKind = defineGateKind({
  kind: "git-state",
  description: "Working tree clean and no local commits ahead of upstream.",
  schema: gitStateGateSchema,
  // "Ahead of upstream" changes when the upstream ref moves (a fetch), without HEAD or the tree changing.
  cacheInputs: async (_gate, { repoRoot }) =>
    git(repoRoot, ["rev-parse", "--verify", "-q", "@{u}"], { allowFail: true }),
  async run(gate, ctx) {
    const evidence = evidenceExclude(ctx.repoRoot, ctx.config.evidenceDir);
    let tree: Awaited<ReturnType<typeof workingTreeState>>;
    let upstream: Awaited<ReturnType<typeof upstreamState>>;
    try {
      [tree, upstream] = await Promise.all([
        workingTreeState(ctx.repoRoot, evidence ? [evidence] : []),
        upstreamState(ctx.repoRoot),
      ]);
    } catch (err) {
      return { status: "incomplete", summary: `git could not report the tree state: ${errorMessage(err)}` };
    }
    const problems: string[] = [];
    if (!tree.clean) {
      const shown = tree.entries.slice(0, SHOWN_ENTRIES).map((e) => e.trim());
      problems.push(
        `working tree not clean (${tree.entries.length}): ${shown.join(", ")}${tree.entries.length > SHOWN_ENTRIES ? ", …" : ""}`,
      );
    }
    if (upstream.upstream && upstream.ahead > 0)
      problems.push(`${upstream.ahead} local commit(s) not pushed to ${upstream.upstream}`);
    if (!upstream.upstream && gate.requireUpstream)
      problems.push("the branch has no upstream (requireUpstream is set)");
    for (const entry of tree.entries) ctx.log.write(`${entry}\n`);
    const details = { dirty: tree.entries, excluded: evidence, ...upstream };
    if (problems.length > 0) return { status: "fail", summary: problems.join("; "), details };
    const behind = upstream.behind > 0 ? ` (${upstream.behind} behind)` : "";
    const where = upstream.upstream ? `, nothing unpushed to ${upstream.upstream}${behind}` : ", no upstream";
    return { status: "pass", summary: `working tree clean${where}`, details };
  },
});
