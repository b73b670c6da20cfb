// Channel `go`: the Go module proxy serves `@v/<version>.info` for the module path (GOPROXY protocol,
// with its case encoding), naming the same version.
import * as z from "zod";
import { joinUrl } from "./http.js";
import { commonChannelFields, defineChannel } from "./types.js";

export const GO_PROXY = "https://proxy.golang.org";

/** The proxy's case encoding: each upper-case letter becomes `!` and its lower-case form. */
export function goEscape(text: string): string {
  return text.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

const infoSchema = z.object({ Version: z.string(), Time: z.string().optional() });

export const goChannel = defineChannel({
  kind: "go",
  description: "The Go module proxy serves the version.",
  schema: z.strictObject({
    kind: z.literal("go"),
    module: z.string().min(1),
    registry: z
      .string()
      .url()
      .optional()
      .meta({ description: "module proxy base URL; default the public proxy" }),
    ...commonChannelFields,
  }),
  id: (e) => `go:${e.module}`,
  async check(entry, env) {
    const base = entry.registry ?? GO_PROXY;
    const version = `v${env.version}`;
    const module = goEscape(entry.module);
    const url = joinUrl(base, `/${module}/@v/${goEscape(version)}.info`);
    const spec = `${entry.module}@${version}`;
    const smokeEnv = { GOPROXY: base, GOFLAGS: "-mod=mod" };
    // 404 and 410 both mean "not here" in the proxy protocol.
    const answer = await env.http.json(url, infoSchema, { absent: [404, 410] });
    if (!answer.found) {
      const latest = await env.http.json(joinUrl(base, `/${module}/@latest`), infoSchema, {
        absent: [404, 410],
      });
      const seen = latest.found ? latest.data.Version : null;
      return {
        status: "missing",
        summary: `${base} does not serve ${spec} (latest: ${seen ?? "none"})`,
        url,
        versionSeen: seen,
        smokeEnv,
      };
    }
    const seen = answer.data.Version;
    if (seen !== version)
      return {
        status: "wrong",
        summary: `${base} answered ${seen} when asked for ${spec}`,
        url,
        versionSeen: seen,
        smokeEnv,
      };
    return { status: "live", summary: `${base} serves ${spec}`, url, versionSeen: seen, smokeEnv };
  },
});
