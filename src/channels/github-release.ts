// Channel `github-release`: the release for the tag is published (not a draft), holds every configured
// asset, and each SDK archive among them holds the configured layout (listed with the archive module,
// and checked against the release's sha256sums.txt when it lists the archive).
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { IncompleteError } from "../errors.js";
import type { Release } from "../github/releases.js";
import { commonChannelFields, defineChannel } from "./types.js";

/** `{version}` and `{tag}` filled in. */
export function expandAsset(template: string, version: string, tag: string): string {
  return template.replaceAll("{version}", version).replaceAll("{tag}", tag);
}

/** Layout paths the archive lacks; an archive whose entries all sit under one top directory counts from it. */
export function missingLayout(entryPaths: string[], layout: string[]): string[] {
  const names = entryPaths.map((p) => p.replace(/^(\.\/)+/, "").replace(/\/+$/, "")).filter(Boolean);
  const set = new Set(names);
  const tops = new Set(names.map((n) => n.split("/")[0]!));
  const top = tops.size === 1 ? [...tops][0]! : null;
  return layout.filter((want) => !set.has(want) && !(top !== null && set.has(`${top}/${want}`)));
}

const isSdkArchive = (name: string) => name.endsWith(".tar.gz");

export const githubReleaseChannel = defineChannel({
  kind: "github-release",
  description: "The GitHub release for the tag exists, is published and holds every asset.",
  schema: z.strictObject({
    kind: z.literal("github-release"),
    assets: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: "asset names, with {version} and {tag} placeholders" }),
    sdkLayout: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: "paths every SDK archive (.tar.gz asset) must hold, e.g. bin/tool" }),
    ...commonChannelFields,
  }),
  id: () => "github-release",
  async check(entry, env) {
    // Loaded when a check runs: every command that reads the config or the ledger loads this module.
    const { downloadReleaseAsset, draftRelease, releaseByTag } = await import("../github/releases.js");
    const { ArchiveError, listArchive } = await import("../artifacts/archive.js");
    const { parseSha256Sums, SHA256SUMS_FILE, sumFor } = await import("../artifacts/sha256sums.js");
    const gh = await env.github();
    const slug = `${gh.owner}/${gh.repo}`;
    const release: Release | null = await releaseByTag(gh, env.tag, env.signal);
    if (!release) {
      const draft = await draftRelease(gh, env.tag, env.signal);
      if (draft)
        return {
          status: "wrong",
          summary: `the release ${env.tag} of ${slug} is still a draft`,
          url: draft.html_url,
          versionSeen: null,
        };
      return { status: "missing", summary: `${slug} has no release ${env.tag}`, versionSeen: null };
    }
    const url = release.html_url;
    const versionSeen = release.tag_name;
    if (release.draft)
      return {
        status: "wrong",
        summary: `the release ${env.tag} of ${slug} is still a draft`,
        url,
        versionSeen,
      };
    const expected = entry.assets.map((a) => expandAsset(a, env.version, env.tag));
    const uploaded = release.assets.filter((a) => a.state === "uploaded");
    const absent = expected.filter((name) => !uploaded.some((a) => a.name === name));
    if (absent.length > 0)
      return {
        status: "missing",
        summary: `the release ${env.tag} lacks ${absent.join(", ")}`,
        url,
        versionSeen,
      };
    if (entry.sdkLayout.length === 0)
      return {
        status: "live",
        summary: `the release ${env.tag} holds all ${expected.length} assets`,
        url,
        versionSeen,
      };

    const sdkNames =
      expected.length > 0 ? expected.filter(isSdkArchive) : uploaded.map((a) => a.name).filter(isSdkArchive);
    if (sdkNames.length === 0)
      return {
        status: "wrong",
        summary: `the release ${env.tag} has no SDK archive (.tar.gz) to check the layout in`,
        url,
        versionSeen,
      };
    const sumsAsset = uploaded.find((a) => a.name === SHA256SUMS_FILE);
    // Downloaded alongside the archives; each archive is compared once both are in.
    const sumsText = sumsAsset ? downloadReleaseAsset(gh, sumsAsset, env.signal) : Promise.resolve(null);
    sumsText.catch(() => {});
    // The archives are independent: fetched and listed concurrently, their findings kept in order.
    const findings = await Promise.all(
      sdkNames.map(async (name): Promise<string | null> => {
        const asset = uploaded.find((a) => a.name === name)!;
        const bytes = await downloadReleaseAsset(gh, asset, env.signal);
        const text = await sumsText;
        let sums: Map<string, string> | undefined;
        try {
          sums = text ? parseSha256Sums(text.toString("utf8"), `${env.tag}/${SHA256SUMS_FILE}`) : undefined;
        } catch (err) {
          return `the release's ${SHA256SUMS_FILE} is unreadable: ${(err as Error).message}`;
        }
        const listed = sums ? sumFor(sums, name) : undefined;
        const digest = createHash("sha256").update(bytes).digest("hex");
        if (listed !== undefined && listed !== digest)
          return `${name} has sha256 ${digest}, ${SHA256SUMS_FILE} lists ${listed}`;
        const file = path.join(env.scratchDir, `${release.id}-${asset.id}-${name}`);
        await writeFile(file, bytes);
        let entries: string[];
        try {
          const listing = await listArchive(file);
          if (listing.unsafe.length > 0)
            return `${name} holds unsafe entries: ${listing.unsafe.map((u) => `${u.path} (${u.reason})`).join(", ")}`;
          entries = listing.entries.map((e) => e.path);
        } catch (err) {
          if (err instanceof ArchiveError) return `${name} is not a readable archive: ${err.reason}`;
          throw new IncompleteError(`cannot list ${name}: ${(err as Error).message}`);
        }
        const lacking = missingLayout(entries, entry.sdkLayout);
        return lacking.length > 0 ? `${name} lacks ${lacking.join(", ")}` : null;
      }),
    );
    const faults = findings.filter((f): f is string => f !== null);
    if (faults.length > 0) return { status: "wrong", summary: faults.join("; "), url, versionSeen };
    return {
      status: "live",
      summary: `the release ${env.tag} holds all ${expected.length || uploaded.length} assets; ${sdkNames.length} SDK archive${sdkNames.length === 1 ? "" : "s"} hold the layout`,
      url,
      versionSeen,
    };
  },
});
