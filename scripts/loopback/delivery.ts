// A release's delivery world on loopback: the GitHub stand-in (the project's repository with its
// releases, and the Homebrew tap) and the four registry stand-ins, with one call to publish a version to
// any set of channels and the matching shipgate.yaml settings. Used by tests, the demo and the bench.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { Header } from "tar";
import { type GitHubStandIn, startGitHubStandIn } from "./github.js";
import { startRegistries } from "./registries.js";
import type { LoggedRequest } from "./server.js";

export const CHANNELS = ["github-release", "npm", "crates", "pypi", "homebrew", "go"] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const SDK_LAYOUT = ["bin/plasmite", "bin/pls", "include/plasmite.h", "lib/pkgconfig/plasmite.pc"];

export interface DeliveryWorldOptions {
  token: string;
  repo?: string;
  tapRepo?: string;
  name?: string;
  goModule?: string;
  platforms?: string[];
}

/** A gzip'd tar holding `files` under `dir/`. */
export function tarGz(dir: string, files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, body] of Object.entries(files)) {
    const data = Buffer.from(body);
    const header = Buffer.alloc(512);
    new Header({
      path: `${dir}/${name}`,
      mode: 0o755,
      size: data.length,
      type: "File",
      mtime: new Date(0),
    }).encode(header, 0);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

/** A formula in the reference tap's layout: on_macos / on_linux, each with arm and intel branches. */
export function formulaText(
  name: string,
  repo: string,
  version: string,
  sums: Record<string, string>,
  platforms: readonly string[],
): string {
  const stanza = (platform: string, indent: string) => {
    const file = `${name}_${version}_${platform}.tar.gz`;
    return [
      `${indent}url "https://github.com/${repo}/releases/download/v${version}/${file}"`,
      `${indent}sha256 "${sums[file] ?? "0".repeat(64)}"`,
    ].join("\n");
  };
  const block = (os: string, arm: string, intel: string) => {
    const a = platforms.includes(arm);
    const i = platforms.includes(intel);
    if (a && i)
      return `  ${os} do\n    if Hardware::CPU.arm?\n${stanza(arm, "      ")}\n    else\n${stanza(intel, "      ")}\n    end\n  end\n`;
    if (a || i) return `  ${os} do\n${stanza(a ? arm : intel, "    ")}\n  end\n`;
    return "";
  };
  const cls = name.charAt(0).toUpperCase() + name.slice(1);
  return `class ${cls} < Formula
  desc "${name}"
  homepage "https://github.com/${repo}"
  version "${version}"

${block("on_macos", "darwin_arm64", "darwin_amd64")}${block("on_linux", "linux_arm64", "linux_amd64")}
  def install
    bin.install "bin/${name}"
  end
end
`;
}

export class DeliveryWorld {
  readonly repo: string;
  readonly tapRepo: string;
  readonly name: string;
  readonly goModule: string;
  readonly platforms: string[];
  readonly formulaPath: string;

  private constructor(
    readonly gh: GitHubStandIn,
    readonly reg: Awaited<ReturnType<typeof startRegistries>>,
    options: DeliveryWorldOptions,
  ) {
    this.repo = options.repo ?? "sandover/plasmite";
    this.tapRepo = options.tapRepo ?? "sandover/homebrew-tap";
    this.name = options.name ?? "plasmite";
    this.goModule = options.goModule ?? `github.com/${this.repo}/bindings/go`;
    this.platforms = options.platforms ?? ["darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64"];
    this.formulaPath = `Formula/${this.name}.rb`;
  }

  static async start(options: DeliveryWorldOptions): Promise<DeliveryWorld> {
    const repo = options.repo ?? "sandover/plasmite";
    const tapRepo = options.tapRepo ?? "sandover/homebrew-tap";
    const [gh, reg] = await Promise.all([
      startGitHubStandIn({ token: options.token, repos: [repo, tapRepo] }),
      startRegistries(),
    ]);
    return new DeliveryWorld(gh, reg, options);
  }

  asset(version: string, platform: string): string {
    return `${this.name}_${version}_${platform}.tar.gz`;
  }

  /** The SDK archives of `version` (each holding the SDK layout under one top directory) and their sums. */
  archives(
    version: string,
    layout = SDK_LAYOUT,
  ): { assets: Record<string, Buffer>; sums: Record<string, string> } {
    const assets: Record<string, Buffer> = {};
    for (const p of this.platforms) {
      const files = Object.fromEntries(layout.map((f) => [f, `${f} for ${p} ${version}\n`]));
      assets[this.asset(version, p)] = tarGz(`${this.name}_${version}_${p}`, files);
    }
    const sums = Object.fromEntries(Object.entries(assets).map(([n, b]) => [n, sha256(b)]));
    return { assets, sums };
  }

  sumsText(sums: Record<string, string>): string {
    return Object.entries(sums)
      .map(([n, d]) => `${d}  ${n}\n`)
      .join("");
  }

  /** Makes `version` live on each named channel, as a finished publish run would. */
  publish(
    version: string,
    channels: readonly ChannelName[] = CHANNELS,
    options: { layout?: string[]; draft?: boolean } = {},
  ): void {
    const { assets, sums } = this.archives(version, options.layout);
    for (const channel of channels) {
      if (channel === "github-release")
        this.gh.repo(this.repo).addRelease({
          tag: `v${version}`,
          draft: options.draft ?? false,
          assets: { ...assets, "sha256sums.txt": this.sumsText(sums) },
        });
      else if (channel === "homebrew")
        this.gh
          .repo(this.tapRepo)
          .setContent(this.formulaPath, formulaText(this.name, this.repo, version, sums, this.platforms), {
            message: `${this.name} ${version}`,
          });
      else if (channel === "npm") this.reg.npm.publish(this.name, version);
      else if (channel === "crates") this.reg.crates.publish(this.name, version);
      else if (channel === "pypi") this.reg.pypi.publish(this.name, version);
      else this.reg.goproxy.publish(this.goModule, `v${version}`);
    }
  }

  /** The config entries for every channel of this world. */
  channels(): Record<ChannelName, Record<string, unknown>> {
    return {
      "github-release": {
        kind: "github-release",
        assets: [...this.platforms.map((p) => `${this.name}_{version}_${p}.tar.gz`), "sha256sums.txt"],
        sdkLayout: SDK_LAYOUT,
      },
      npm: { kind: "npm", package: this.name, registry: this.reg.npm.url },
      crates: { kind: "crates", crate: this.name, registry: this.reg.crates.url },
      pypi: { kind: "pypi", package: this.name, registry: this.reg.pypi.url, files: ["wheel", "sdist"] },
      homebrew: { kind: "homebrew" },
      go: { kind: "go", module: this.goModule, registry: this.reg.goproxy.url },
    };
  }

  /** shipgate.yaml settings (as an object) for this world: github, homebrew and the named channels. */
  config(channels: readonly ChannelName[] = CHANNELS): Record<string, unknown> {
    const all = this.channels();
    return {
      github: { repo: this.repo, apiUrl: this.gh.url },
      homebrew: {
        tapRepo: this.tapRepo,
        formulaPath: this.formulaPath,
        assetTemplate: `${this.name}_{version}_{platform}.tar.gz`,
        platforms: this.platforms,
      },
      channels: channels.map((c) => all[c]),
    };
  }

  /** Every request that could change state, on every server of this world. */
  mutating(): LoggedRequest[] {
    return [this.gh, this.reg.npm, this.reg.crates, this.reg.pypi, this.reg.goproxy].flatMap((s) =>
      s.mutating(),
    );
  }

  /** Every server answers only after `ms` (each request). */
  slowEverything(ms: number): void {
    for (const s of [this.gh, this.reg.npm, this.reg.crates, this.reg.pypi, this.reg.goproxy])
      s.fail(/.*/, { delayMs: ms });
  }

  async close(): Promise<void> {
    await Promise.all([this.gh.close(), this.reg.close()]);
  }
}
