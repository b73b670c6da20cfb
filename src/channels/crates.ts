// Channel `crates`: the crates.io API (v1) has the version, and it is not yanked. Every request names
// shipgate in its User-Agent, as crates.io requires.
import * as z from "zod";
import { joinUrl } from "./http.js";
import { commonChannelFields, defineChannel } from "./types.js";

export const CRATES_IO = "https://crates.io";

const versionSchema = z.object({ version: z.object({ num: z.string(), yanked: z.boolean() }) });
const crateSchema = z.object({
  crate: z.object({
    max_version: z.string().nullable().optional(),
    newest_version: z.string().nullable().optional(),
  }),
});

export const cratesChannel = defineChannel({
  kind: "crates",
  description: "crates.io has the version, not yanked.",
  schema: z.strictObject({
    kind: z.literal("crates"),
    crate: z.string().min(1),
    registry: z.string().url().optional().meta({ description: "API base URL; default crates.io" }),
    ...commonChannelFields,
  }),
  id: (e) => `crates:${e.crate}`,
  async check(entry, env) {
    const base = entry.registry ?? CRATES_IO;
    const crate = encodeURIComponent(entry.crate);
    const url = joinUrl(base, `/api/v1/crates/${crate}/${encodeURIComponent(env.version)}`);
    const spec = `${entry.crate}@${env.version}`;
    const answer = await env.http.json(url, versionSchema);
    if (!answer.found) {
      const crateUrl = joinUrl(base, `/api/v1/crates/${crate}`);
      const whole = await env.http.json(crateUrl, crateSchema);
      if (!whole.found)
        return {
          status: "missing",
          summary: `${base} has no crate ${entry.crate}`,
          url: crateUrl,
          versionSeen: null,
        };
      const newest = whole.data.crate.max_version ?? whole.data.crate.newest_version ?? null;
      return {
        status: "missing",
        summary: `${base} has no ${spec} (newest: ${newest ?? "none"})`,
        url,
        versionSeen: newest,
      };
    }
    const { num, yanked } = answer.data.version;
    if (num !== env.version)
      return {
        status: "wrong",
        summary: `${base} answered version ${num} when asked for ${spec}`,
        url,
        versionSeen: num,
      };
    if (yanked) return { status: "wrong", summary: `${spec} is yanked on ${base}`, url, versionSeen: num };
    return { status: "live", summary: `${base} serves ${spec}`, url, versionSeen: num };
  },
});
