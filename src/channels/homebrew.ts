// Channel `homebrew`: the tap's formula (homebrew.tapRepo / formulaPath, through the contents API)
// passes `homebrew verify` against the GitHub release's sha256sums.txt. A formula still at an older
// version is not updated yet (missing); one at the version with any other difference is wrong.
import * as z from "zod";
import { commonChannelFields, defineChannel } from "./types.js";

const SHOWN_PROBLEMS = 5;

export const homebrewChannel = defineChannel({
  kind: "homebrew",
  description: "The tap formula matches the release sha256sums.txt.",
  schema: z.strictObject({
    kind: z.literal("homebrew"),
    ...commonChannelFields,
  }),
  id: () => "homebrew",
  async check(_entry, env) {
    // Loaded when a check runs: every command that reads the config or the ledger loads this module.
    const { inspectFormula } = await import("../homebrew/formula.js");
    const { formulaFromTap, formulaTarget, homebrewSettings, sumsFromRelease } = await import(
      "../homebrew/sources.js"
    );
    const hb = homebrewSettings(env.config, ["tapRepo", "formulaPath", "assetTemplate"]);
    const target = formulaTarget(env.config, env.tag);
    const formula = await formulaFromTap(await env.github(hb.tapRepo), hb.formulaPath, env.signal);
    if (!formula)
      return { status: "missing", summary: `${hb.tapRepo} has no ${hb.formulaPath}`, versionSeen: null };
    const url = formula.url ?? formula.source;
    const sums = await sumsFromRelease(await env.github(), env.tag, env.signal);
    const inspection = inspectFormula(formula.text, sums.found ? sums.sums : new Map(), target);
    const seen = inspection.parsed.versions[0]?.value ?? null;
    if (!sums.found)
      return {
        status: "missing",
        summary: `${sums.reason}: the formula cannot be checked yet`,
        url,
        versionSeen: seen,
      };
    const { problems } = inspection;
    if (problems.length === 0)
      return {
        status: "live",
        summary: `${formula.source} is at ${target.version} and matches the release's sha256sums.txt for ${target.platforms.join(", ")}`,
        url,
        versionSeen: seen,
      };
    if (seen !== target.version)
      // Every other difference follows from the old version: the tap is simply not updated yet.
      return {
        status: "missing",
        summary: `${formula.source} is at ${seen ?? "no version"}, not ${target.version}: the tap is not updated yet`,
        url,
        versionSeen: seen,
        details: { problems },
      };
    const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => p.message);
    if (problems.length > SHOWN_PROBLEMS) shown.push(`… ${problems.length - SHOWN_PROBLEMS} more`);
    return {
      status: "wrong",
      summary: `${formula.source}: ${shown.join("; ")}`,
      url,
      versionSeen: seen,
      details: { problems },
    };
  },
});
