// Gate kind `git-state`: the working tree is clean and nothing local is ahead of upstream.
import path from "node:path";
import { z } from "zod";
import { commonGateFields } from "../../config/gate-common.js";
import { upstreamState, workingTreeState } from "../../context/git.js";
import type { GateKind } from "../types.js";

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

export const gitStateKind: GateKind<GitStateGate> = {
  kind: "git-state",
  description: "Working tree clean and no local commits ahead of upstream.",
  schema: gitStateGateSchema,
  async run(gate, ctx) {
    const evidence = path.relative(ctx.repoRoot, path.resolve(ctx.repoRoot, ctx.config.evidenceDir));
    const [tree, upstream] = await Promise.all([
      workingTreeState(ctx.repoRoot, [evidence]),
      upstreamState(ctx.repoRoot),
    ]);
    const problems: string[] = [];
    if (!tree.clean) {
      const shown = tree.entries.slice(0, SHOWN_ENTRIES).map((e) => e.trim());
      problems.push(
        `working tree not clean (${tree.entries.length}): ${shown.join(", ")}${tree.entries.length > SHOWN_ENTRIES ? ", …" : ""}`,
      );
    }
    if (upstream.upstream && upstream.ahead > 0)
      problems.push(`${upstream.ahead} local commit(s) not pushed to ${upstream.upstream}`);
    if (!upstream.upstream && gate.requireUpstream) problems.push("the branch has no upstream");
    for (const entry of tree.entries) ctx.log.write(`${entry}\n`);
    const details = { dirty: tree.entries, ...upstream };
    if (problems.length > 0) return { status: "fail", summary: problems.join("; "), details };
    const where = upstream.upstream ? `, in step with ${upstream.upstream}` : ", no upstream";
    return { status: "pass", summary: `working tree clean${where}`, details };
  },
};
