// Channel `npm`: the registry document has the version and the configured dist-tag points at it. The
// registry is the user's npm configuration (`npm config get`, so .npmrc and `@scope:registry` hold)
// unless the entry sets `registry`.
import * as z from "zod";
import { IncompleteError } from "../errors.js";
import { redact } from "../evidence/redact.js";
import { joinUrl } from "./http.js";
import { commonChannelFields, defineChannel } from "./types.js";

const NPM_CONFIG_TIMEOUT_MS = 20_000;
const resolved = new Map<string, Promise<string>>();

/** The registry npm would use for `pkg` when run in `cwd`: its scope's registry, else `registry`. */
export function npmRegistryFor(pkg: string, cwd: string): Promise<string> {
  const scope = pkg.startsWith("@") ? pkg.split("/")[0]! : null;
  const key = `${cwd}\0${scope ?? ""}`;
  let found = resolved.get(key);
  if (!found) {
    found = askNpm(scope, cwd);
    resolved.set(key, found);
    // A failed lookup is not remembered: the next check asks again.
    found.catch(() => resolved.delete(key));
  }
  return found;
}

async function askNpm(scope: string | null, cwd: string): Promise<string> {
  const keys = scope ? ["registry", `${scope}:registry`] : ["registry"];
  const { execa } = await import("execa");
  const result = await execa("npm", ["config", "get", ...keys], {
    cwd,
    reject: false,
    timeout: NPM_CONFIG_TIMEOUT_MS,
    env: { npm_config_update_notifier: "false" },
  });
  if (result.failed) {
    const why =
      (result as { code?: string }).code === "ENOENT"
        ? "npm is not installed"
        : String(result.stderr).trim() || String(result.message);
    throw new IncompleteError(
      `cannot ask npm for its registry: ${redact(why)}`,
      "set `registry:` on the npm channel",
    );
  }
  const out = String(result.stdout).trim();
  const values = new Map<string, string>();
  if (keys.length === 1) values.set("registry", out);
  else
    for (const line of out.split("\n")) {
      const at = line.indexOf("=");
      if (at > 0) values.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
    }
  const scoped = scope ? values.get(`${scope}:registry`) : undefined;
  const registry = scoped && scoped !== "undefined" && scoped !== "null" ? scoped : values.get("registry");
  if (!registry || !/^https?:\/\//.test(registry))
    throw new IncompleteError(
      `npm config answered no registry URL (${JSON.stringify(out)})`,
      "set `registry:` on the npm channel",
    );
  return registry;
}

/** The path of a package document as npm asks for it: `/@scope%2fname` for a scoped name. */
export function packagePath(name: string): string {
  return `/${encodeURIComponent(name).replace(/^%40/, "@").replace(/%2F/g, "%2f")}`;
}

const packumentSchema = z.object({
  "dist-tags": z.record(z.string(), z.string()).default({}),
  versions: z.record(z.string(), z.object({ version: z.string(), deprecated: z.string().optional() })),
});

export const npmChannel = defineChannel({
  kind: "npm",
  description: "The npm registry has the version and the dist-tag points at it.",
  schema: z.strictObject({
    kind: z.literal("npm"),
    package: z.string().min(1),
    distTag: z.string().min(1).default("latest"),
    registry: z.string().url().optional().meta({ description: "default: the user's npm configuration" }),
    ...commonChannelFields,
  }),
  id: (e) => `npm:${e.package}`,
  async check(entry, env) {
    const registry = entry.registry ?? (await npmRegistryFor(entry.package, env.repoRoot));
    const url = joinUrl(registry, packagePath(entry.package));
    const answer = await env.http.json(url, packumentSchema, {
      // The abbreviated document is what npm install reads, and much smaller.
      headers: { accept: "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8" },
    });
    const smokeEnv = { npm_config_registry: registry };
    const spec = `${entry.package}@${env.version}`;
    if (!answer.found)
      return {
        status: "missing",
        summary: `${registry} has no package ${entry.package}`,
        url,
        versionSeen: null,
        smokeEnv,
      };
    const tagged = answer.data["dist-tags"][entry.distTag] ?? null;
    const manifest = answer.data.versions[env.version];
    if (!manifest)
      return {
        status: "missing",
        summary: `${registry} has no ${spec} (dist-tag ${entry.distTag}: ${tagged ?? "none"})`,
        url,
        versionSeen: tagged,
        smokeEnv,
      };
    if (tagged !== env.version)
      return {
        status: "wrong",
        summary: `${registry} has ${spec}, but dist-tag ${entry.distTag} ${tagged ? `points at ${tagged}` : "is not set"}`,
        url,
        versionSeen: tagged,
        smokeEnv,
      };
    if (manifest.deprecated !== undefined)
      return {
        status: "wrong",
        summary: `${spec} is deprecated: ${manifest.deprecated}`,
        url,
        versionSeen: env.version,
        smokeEnv,
      };
    return {
      status: "live",
      summary: `${registry} serves ${spec} as ${entry.distTag}`,
      url,
      versionSeen: env.version,
      smokeEnv,
    };
  },
});
