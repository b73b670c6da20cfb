// Channel `pypi`: the JSON API has the release with at least one file, each configured kind of file
// (wheel, sdist) among them, and the release is not yanked.
import * as z from "zod";
import { joinUrl } from "./http.js";
import { commonChannelFields, defineChannel } from "./types.js";

export const PYPI = "https://pypi.org";

const PACKAGE_TYPES = { wheel: "bdist_wheel", sdist: "sdist" } as const;

const fileSchema = z.object({
  filename: z.string(),
  packagetype: z.string(),
  yanked: z.boolean().optional(),
});
const releaseSchema = z.object({
  info: z.object({ version: z.string(), yanked: z.boolean().optional() }),
  urls: z.array(fileSchema),
});
const projectSchema = z.object({ info: z.object({ version: z.string() }) });

export const pypiChannel = defineChannel({
  kind: "pypi",
  description: "PyPI serves the release with its files.",
  schema: z.strictObject({
    kind: z.literal("pypi"),
    package: z.string().min(1),
    registry: z.string().url().optional().meta({ description: "JSON API base URL; default PyPI" }),
    files: z
      .array(z.enum(["wheel", "sdist"]))
      .default([])
      .meta({ description: "kinds of file the release must have, e.g. [wheel, sdist]" }),
    ...commonChannelFields,
  }),
  id: (e) => `pypi:${e.package}`,
  async check(entry, env) {
    const base = entry.registry ?? PYPI;
    const project = encodeURIComponent(entry.package);
    const url = joinUrl(base, `/pypi/${project}/${encodeURIComponent(env.version)}/json`);
    const spec = `${entry.package} ${env.version}`;
    const smokeEnv = { PIP_INDEX_URL: joinUrl(base, "/simple/") };
    const answer = await env.http.json(url, releaseSchema);
    if (!answer.found) {
      const projectUrl = joinUrl(base, `/pypi/${project}/json`);
      const whole = await env.http.json(projectUrl, projectSchema);
      const current = whole.found ? whole.data.info.version : null;
      return {
        status: "missing",
        summary: whole.found
          ? `${base} has no ${spec} (current: ${current})`
          : `${base} has no project ${entry.package}`,
        url,
        versionSeen: current,
        smokeEnv,
      };
    }
    const { info, urls } = answer.data;
    if (info.version !== env.version)
      return {
        status: "wrong",
        summary: `${base} answered ${info.version} when asked for ${spec}`,
        url,
        versionSeen: info.version,
        smokeEnv,
      };
    if (info.yanked)
      return {
        status: "wrong",
        summary: `${spec} is yanked on ${base}`,
        url,
        versionSeen: info.version,
        smokeEnv,
      };
    const files = urls.filter((f) => !f.yanked);
    if (files.length === 0)
      return {
        status: "missing",
        summary: `${spec} has no files on ${base} yet`,
        url,
        versionSeen: info.version,
        smokeEnv,
      };
    const lacking = entry.files.filter((kind) => !files.some((f) => f.packagetype === PACKAGE_TYPES[kind]));
    if (lacking.length > 0)
      return {
        status: "missing",
        summary: `${spec} on ${base} has no ${lacking.join(" or ")} (files: ${files.map((f) => f.filename).join(", ")})`,
        url,
        versionSeen: info.version,
        smokeEnv,
      };
    return {
      status: "live",
      summary: `${base} serves ${spec} (${files.length} file${files.length === 1 ? "" : "s"})`,
      url,
      versionSeen: info.version,
      smokeEnv,
      details: { files: files.map((f) => f.filename) },
    };
  },
});
