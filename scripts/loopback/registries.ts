// Loopback stand-ins for the package registries a release lands in: the npm registry, crates.io's
// API v1, PyPI's JSON API and a Go module proxy, each with the documented paths, shapes and errors.
import { createHash } from "node:crypto";
import {
  bytes,
  type Fault,
  type FaultSpec,
  json,
  type LoggedRequest,
  LoopbackServer,
  type RouteHandler,
  Router,
  redirect,
  text,
} from "./server.js";
import { zipFiles } from "./zip.js";

const iso = (ms: number) => new Date(ms).toISOString();
const digest = (algo: string, data: Uint8Array, enc: "hex" | "base64" = "hex") =>
  createHash(algo).update(data).digest(enc);

/** The request log, fault injection and shutdown every registry stand-in shares. */
abstract class RegistryStandIn {
  protected server!: LoopbackServer;

  protected async listen(router: Router): Promise<void> {
    this.server = await LoopbackServer.start(router, { notFound: () => this.notFound() });
  }

  protected abstract notFound(): ReturnType<typeof json>;

  /** Base URL to configure as the channel's `registry`. */
  get url(): string {
    return this.server.url;
  }
  get requests(): LoggedRequest[] {
    return this.server.requests;
  }
  mutating(): LoggedRequest[] {
    return this.server.mutating();
  }
  find(pattern: string | RegExp): LoggedRequest[] {
    return this.server.find(pattern);
  }
  fail(pattern: string | RegExp, spec?: FaultSpec): Fault {
    return this.server.fail(pattern, spec);
  }
  clearFaults(): void {
    this.server.clearFaults();
  }
  close(): Promise<void> {
    return this.server.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// npm

interface NpmVersion {
  version: string;
  tarball: Buffer;
  publishedAt: number;
  deprecated?: string;
}

interface NpmPackage {
  name: string;
  versions: Map<string, NpmVersion>;
  distTags: Map<string, string>;
  createdAt: number;
  modifiedAt: number;
}

export interface NpmPublishOptions {
  /** Dist-tag to point at the version; `latest` by default, `false` for none. */
  tag?: string | false;
  tarball?: Uint8Array;
  publishedAt?: string | Date;
}

/**
 * The npm registry: `GET /<name>` (scoped names as `/@scope%2fname` or `/@scope/name`) answers the
 * packument (abbreviated when asked with `application/vnd.npm.install-v1+json`), `GET /<name>/<version|tag>`
 * one version, `GET /-/package/<name>/dist-tags` the tags, and tarballs under `/<name>/-/`.
 */
export class NpmRegistryStandIn extends RegistryStandIn {
  private readonly packages = new Map<string, NpmPackage>();

  static async start(): Promise<NpmRegistryStandIn> {
    const npm = new NpmRegistryStandIn();
    await npm.listen(npm.routes());
    return npm;
  }

  protected notFound() {
    return json(404, { error: "Not found" });
  }

  publish(name: string, version: string, options: NpmPublishOptions = {}): void {
    const now = options.publishedAt ? new Date(options.publishedAt).getTime() : Date.now();
    let pkg = this.packages.get(name);
    if (!pkg) {
      pkg = { name, versions: new Map(), distTags: new Map(), createdAt: now, modifiedAt: now };
      this.packages.set(name, pkg);
    }
    if (pkg.versions.has(version)) throw new Error(`stand-in: ${name}@${version} is already published`);
    pkg.versions.set(version, {
      version,
      tarball: Buffer.from(options.tarball ?? `stand-in tarball ${name}@${version}`),
      publishedAt: now,
    });
    pkg.modifiedAt = now;
    if (options.tag !== false) pkg.distTags.set(options.tag ?? "latest", version);
  }

  setDistTag(name: string, tag: string, version: string): void {
    const pkg = this.packages.get(name);
    if (!pkg?.versions.has(version)) throw new Error(`stand-in: ${name}@${version} is not published`);
    pkg.distTags.set(tag, version);
    pkg.modifiedAt = Date.now();
  }

  removeDistTag(name: string, tag: string): void {
    this.packages.get(name)?.distTags.delete(tag);
  }

  /** npm's closest thing to a yank: the version stays, marked deprecated. */
  deprecate(name: string, version: string, message: string): void {
    const v = this.packages.get(name)?.versions.get(version);
    if (!v) throw new Error(`stand-in: ${name}@${version} is not published`);
    v.deprecated = message;
  }

  /** Removes a version (npm unpublish); a package with no versions left answers 404. */
  unpublish(name: string, version: string): void {
    const pkg = this.packages.get(name);
    if (!pkg) return;
    pkg.versions.delete(version);
    for (const [tag, v] of pkg.distTags) if (v === version) pkg.distTags.delete(tag);
    if (!pkg.versions.size) this.packages.delete(name);
  }

  private tarballUrl(name: string, version: string): string {
    const base = name.split("/").pop();
    return `${this.url}/${name}/-/${base}-${version}.tgz`;
  }

  private manifest(pkg: NpmPackage, v: NpmVersion) {
    return {
      name: pkg.name,
      version: v.version,
      _id: `${pkg.name}@${v.version}`,
      ...(v.deprecated ? { deprecated: v.deprecated } : {}),
      dist: {
        tarball: this.tarballUrl(pkg.name, v.version),
        shasum: digest("sha1", v.tarball),
        integrity: `sha512-${digest("sha512", v.tarball, "base64")}`,
        fileCount: 1,
        unpackedSize: v.tarball.length,
      },
    };
  }

  private packument(pkg: NpmPackage, abbreviated: boolean) {
    const versions = Object.fromEntries([...pkg.versions].map(([ver, v]) => [ver, this.manifest(pkg, v)]));
    const distTags = Object.fromEntries(pkg.distTags);
    if (abbreviated)
      return { name: pkg.name, modified: iso(pkg.modifiedAt), "dist-tags": distTags, versions };
    return {
      _id: pkg.name,
      _rev: `${pkg.versions.size}-${digest("md5", Buffer.from(JSON.stringify(distTags))).slice(0, 16)}`,
      name: pkg.name,
      "dist-tags": distTags,
      versions,
      time: {
        created: iso(pkg.createdAt),
        modified: iso(pkg.modifiedAt),
        ...Object.fromEntries([...pkg.versions].map(([ver, v]) => [ver, iso(v.publishedAt)])),
      },
      maintainers: [{ name: "stand-in", email: "stand-in@example.invalid" }],
      license: "MIT",
    };
  }

  private routes(): Router {
    const r = new Router();
    // Scoped names arrive as /@scope%2fname (what npm sends) or /@scope/name.
    const NAME = "(?<name>@[^/%]+(?:%2[fF]|/)[^/]+|[^/@][^/]*)";
    r.get(new RegExp(`^/-/package/${NAME}/dist-tags$`), (req) => {
      const pkg = this.packages.get(req.params.name!);
      return pkg ? json(200, Object.fromEntries(pkg.distTags)) : this.notFound();
    });
    r.get(new RegExp(`^/${NAME}/-/(?<file>[^/]+\\.tgz)$`), (req) => {
      const pkg = this.packages.get(req.params.name!);
      const v = [...(pkg?.versions.values() ?? [])].find((x) =>
        this.tarballUrl(pkg!.name, x.version).endsWith(`/${req.params.file}`),
      );
      return v ? bytes(v.tarball, "application/octet-stream") : this.notFound();
    });
    r.get(new RegExp(`^/${NAME}$`), (req) => {
      const pkg = this.packages.get(req.params.name!);
      if (!pkg) return this.notFound();
      const abbreviated = (req.headers.accept ?? "").includes("application/vnd.npm.install-v1+json");
      return json(200, this.packument(pkg, abbreviated), {
        "content-type": abbreviated ? "application/vnd.npm.install-v1+json" : "application/json",
      });
    });
    r.get(new RegExp(`^/${NAME}/(?<spec>[^/]+)$`), (req) => {
      const pkg = this.packages.get(req.params.name!);
      if (!pkg) return this.notFound();
      const spec = req.params.spec!;
      const v = pkg.versions.get(pkg.distTags.get(spec) ?? spec);
      return v ? json(200, this.manifest(pkg, v)) : json(404, `version not found: ${spec}`);
    });
    return r;
  }
}

// ---------------------------------------------------------------------------------------------------
// crates.io

interface CrateVersion {
  id: number;
  num: string;
  yanked: boolean;
  checksum: string;
  createdAt: number;
  updatedAt: number;
}

/** crates.io's stable-first ordering is semver; comparing numeric parts is enough for release versions. */
function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = "", pre] = v.replace(/^v/, "").split(/-(.*)/s);
    return { nums: core.split(".").map((n) => Number.parseInt(n, 10) || 0), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

const isPrerelease = (v: string) => /-/.test(v.replace(/^v/, "")) || /(a|b|rc|dev)\d*$/i.test(v);

/**
 * crates.io's API v1: `GET /api/v1/crates/<name>`, `/api/v1/crates/<name>/<version>` and
 * `/api/v1/crates/<name>/versions`. Requests without a User-Agent are refused with 403, as crates.io does.
 */
export class CratesIoStandIn extends RegistryStandIn {
  private readonly crates = new Map<string, { name: string; versions: CrateVersion[]; createdAt: number }>();
  private nextId = 1_400_001;

  static async start(): Promise<CratesIoStandIn> {
    const crates = new CratesIoStandIn();
    await crates.listen(crates.routes());
    return crates;
  }

  protected notFound() {
    return json(404, { errors: [{ detail: "Not Found" }] });
  }

  publish(name: string, version: string, options: { publishedAt?: string | Date } = {}): void {
    const at = options.publishedAt ? new Date(options.publishedAt).getTime() : Date.now();
    let crate = this.crates.get(name.toLowerCase());
    if (!crate) {
      crate = { name, versions: [], createdAt: at };
      this.crates.set(name.toLowerCase(), crate);
    }
    if (crate.versions.some((v) => v.num === version))
      throw new Error(`stand-in: crate ${name}@${version} is already uploaded`);
    crate.versions.push({
      id: this.nextId++,
      num: version,
      yanked: false,
      checksum: digest("sha256", Buffer.from(`${name}-${version}`)),
      createdAt: at,
      updatedAt: at,
    });
  }

  yank(name: string, version: string, yanked = true): void {
    const v = this.crates.get(name.toLowerCase())?.versions.find((x) => x.num === version);
    if (!v) throw new Error(`stand-in: crate ${name}@${version} is not published`);
    v.yanked = yanked;
    v.updatedAt = Date.now();
  }

  unyank(name: string, version: string): void {
    this.yank(name, version, false);
  }

  private versionJson(crate: string, v: CrateVersion) {
    return {
      id: v.id,
      crate,
      num: v.num,
      dl_path: `/api/v1/crates/${crate}/${v.num}/download`,
      readme_path: `/api/v1/crates/${crate}/${v.num}/readme`,
      updated_at: iso(v.updatedAt),
      created_at: iso(v.createdAt),
      downloads: 0,
      features: {},
      yanked: v.yanked,
      yank_message: null,
      lib_links: null,
      license: "MIT",
      links: {
        dependencies: `/api/v1/crates/${crate}/${v.num}/dependencies`,
        version_downloads: `/api/v1/crates/${crate}/${v.num}/downloads`,
        authors: `/api/v1/crates/${crate}/${v.num}/authors`,
      },
      crate_size: 1024,
      published_by: null,
      audit_actions: [],
      checksum: v.checksum,
      rust_version: null,
      has_lib: true,
      bin_names: [],
      edition: "2021",
    };
  }

  private routes(): Router {
    const r = new Router();
    const withUserAgent =
      (handler: RouteHandler): RouteHandler =>
      (req) =>
        req.headers["user-agent"]
          ? handler(req)
          : text(
              403,
              "crates.io requires every request to carry a User-Agent header that names the client " +
                "(and ideally how to contact its owner). See https://crates.io/data-access\n",
            );
    const lookup = (name: string) => this.crates.get(name.toLowerCase());
    const missingCrate = (name: string) =>
      json(404, { errors: [{ detail: `crate \`${name}\` does not exist` }] });

    r.get(
      "/api/v1/crates/:name",
      withUserAgent((req) => {
        const crate = lookup(req.params.name!);
        if (!crate) return missingCrate(req.params.name!);
        const versions = [...crate.versions].sort((a, b) => compareVersions(b.num, a.num));
        const live = versions.filter((v) => !v.yanked);
        const stable = live.filter((v) => !isPrerelease(v.num));
        const newest = [...crate.versions].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)[0];
        const updated = Math.max(...crate.versions.map((v) => v.updatedAt));
        return json(200, {
          categories: [],
          crate: {
            id: crate.name,
            name: crate.name,
            updated_at: iso(updated),
            versions: versions.map((v) => v.id),
            keywords: [],
            categories: [],
            badges: [],
            created_at: iso(crate.createdAt),
            downloads: 0,
            recent_downloads: 0,
            default_version: (stable[0] ?? live[0] ?? versions[0])?.num ?? null,
            num_versions: versions.length,
            yanked: live.length === 0,
            max_version: live[0]?.num ?? "0.0.0",
            newest_version: newest?.num ?? "0.0.0",
            max_stable_version: stable[0]?.num ?? null,
            description: null,
            homepage: null,
            documentation: null,
            repository: null,
            links: {
              version_downloads: `/api/v1/crates/${crate.name}/downloads`,
              versions: null,
              owners: `/api/v1/crates/${crate.name}/owners`,
              owner_team: `/api/v1/crates/${crate.name}/owner_team`,
              owner_user: `/api/v1/crates/${crate.name}/owner_user`,
              reverse_dependencies: `/api/v1/crates/${crate.name}/reverse_dependencies`,
            },
            exact_match: false,
          },
          keywords: [],
          versions: versions.map((v) => this.versionJson(crate.name, v)),
        });
      }),
    );
    r.get(
      "/api/v1/crates/:name/versions",
      withUserAgent((req) => {
        const crate = lookup(req.params.name!);
        if (!crate) return missingCrate(req.params.name!);
        const versions = [...crate.versions].sort((a, b) => compareVersions(b.num, a.num));
        return json(200, {
          versions: versions.map((v) => this.versionJson(crate.name, v)),
          meta: { total: versions.length, next_page: null },
        });
      }),
    );
    r.get(
      "/api/v1/crates/:name/:version",
      withUserAgent((req) => {
        const crate = lookup(req.params.name!);
        if (!crate) return missingCrate(req.params.name!);
        const v = crate.versions.find((x) => x.num === req.params.version);
        if (!v)
          return json(404, {
            errors: [{ detail: `crate \`${crate.name}\` does not have a version \`${req.params.version}\`` }],
          });
        return json(200, { version: this.versionJson(crate.name, v) });
      }),
    );
    return r;
  }
}

// ---------------------------------------------------------------------------------------------------
// PyPI

interface PyFile {
  filename: string;
  packagetype: "bdist_wheel" | "sdist";
  content: Buffer;
  uploadedAt: number;
}

interface PyRelease {
  version: string;
  files: PyFile[];
  yanked: boolean;
  yankedReason: string | null;
}

/** PEP 503 normalization: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export interface PyPIPublishOptions {
  /** Files to serve; by default one wheel and one sdist named after the project and version. */
  files?: { filename: string; packagetype: "bdist_wheel" | "sdist"; content?: Uint8Array }[];
  publishedAt?: string | Date;
}

/**
 * PyPI's JSON API: `GET /pypi/<project>/json` (latest version in `info.version`, every release in
 * `releases`, the latest's files in `urls`) and `GET /pypi/<project>/<version>/json`. Names that are not
 * the project's own spelling are redirected (301) to it; unknown projects answer 404.
 */
export class PyPIStandIn extends RegistryStandIn {
  private readonly projects = new Map<string, { name: string; releases: PyRelease[] }>();
  private serial = 20_000_000;

  static async start(): Promise<PyPIStandIn> {
    const pypi = new PyPIStandIn();
    await pypi.listen(pypi.routes());
    return pypi;
  }

  protected notFound() {
    return json(404, { message: "Not Found" });
  }

  publish(project: string, version: string, options: PyPIPublishOptions = {}): void {
    const key = normalizePythonName(project);
    let entry = this.projects.get(key);
    if (!entry) {
      entry = { name: project, releases: [] };
      this.projects.set(key, entry);
    }
    if (entry.releases.some((r) => r.version === version))
      throw new Error(`stand-in: ${project} ${version} already exists`);
    const at = options.publishedAt ? new Date(options.publishedAt).getTime() : Date.now();
    const stem = project.replace(/[-.]+/g, "_");
    const files = options.files ?? [
      { filename: `${stem}-${version}-py3-none-any.whl`, packagetype: "bdist_wheel" as const },
      { filename: `${stem}-${version}.tar.gz`, packagetype: "sdist" as const },
    ];
    entry.releases.push({
      version,
      yanked: false,
      yankedReason: null,
      files: files.map((f) => ({
        filename: f.filename,
        packagetype: f.packagetype,
        content: Buffer.from(f.content ?? `stand-in ${f.filename}`),
        uploadedAt: at,
      })),
    });
    this.serial++;
  }

  yank(project: string, version: string, reason: string | null = null): void {
    const release = this.projects
      .get(normalizePythonName(project))
      ?.releases.find((r) => r.version === version);
    if (!release) throw new Error(`stand-in: ${project} ${version} is not published`);
    release.yanked = true;
    release.yankedReason = reason;
    this.serial++;
  }

  private fileJson(release: PyRelease, f: PyFile) {
    const sha256 = digest("sha256", f.content);
    const md5 = digest("md5", f.content);
    return {
      comment_text: "",
      // node:crypto has no BLAKE2b-256; this stand-in value only has the right length and form.
      digests: { blake2b_256: digest("sha256", Buffer.concat([Buffer.from("b2:"), f.content])), md5, sha256 },
      downloads: -1,
      filename: f.filename,
      has_sig: false,
      md5_digest: md5,
      packagetype: f.packagetype,
      python_version: f.packagetype === "sdist" ? "source" : "py3",
      requires_python: ">=3.9",
      size: f.content.length,
      upload_time: iso(f.uploadedAt).replace(/\.\d{3}Z$/, ""),
      upload_time_iso_8601: iso(f.uploadedAt).replace(/Z$/, "000Z"),
      url: `${this.url}/packages/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256.slice(4)}/${f.filename}`,
      yanked: release.yanked,
      yanked_reason: release.yankedReason,
    };
  }

  /** The version PyPI reports as current: the highest non-yanked final release, else the highest of any. */
  private latest(releases: PyRelease[]): PyRelease | undefined {
    const sorted = [...releases].sort((a, b) => compareVersions(b.version, a.version));
    return (
      sorted.find((r) => !r.yanked && !isPrerelease(r.version)) ?? sorted.find((r) => !r.yanked) ?? sorted[0]
    );
  }

  private info(name: string, release: PyRelease) {
    return {
      author: null,
      author_email: null,
      classifiers: [],
      description: "",
      description_content_type: null,
      home_page: null,
      license: "MIT",
      name,
      package_url: `${this.url}/project/${name}/`,
      project_url: `${this.url}/project/${name}/`,
      project_urls: null,
      release_url: `${this.url}/project/${name}/${release.version}/`,
      requires_dist: null,
      requires_python: ">=3.9",
      summary: null,
      version: release.version,
      yanked: release.yanked,
      yanked_reason: release.yankedReason,
    };
  }

  private routes(): Router {
    const r = new Router();
    const resolve = (requested: string, suffix: string) => {
      const entry = this.projects.get(normalizePythonName(requested));
      if (!entry) return { reply: this.notFound() };
      if (entry.name !== requested)
        return { reply: redirect(`${this.url}/pypi/${entry.name}/${suffix}`, 301) };
      return { entry };
    };
    r.get("/pypi/:project/json", (req) => {
      const { entry, reply } = resolve(req.params.project!, "json");
      if (!entry) return reply;
      const latest = this.latest(entry.releases);
      if (!latest) return this.notFound();
      return json(200, {
        info: this.info(entry.name, latest),
        last_serial: this.serial,
        releases: Object.fromEntries(
          entry.releases.map((rel) => [rel.version, rel.files.map((f) => this.fileJson(rel, f))]),
        ),
        urls: latest.files.map((f) => this.fileJson(latest, f)),
        vulnerabilities: [],
      });
    });
    r.get("/pypi/:project/:version/json", (req) => {
      const { entry, reply } = resolve(req.params.project!, `${req.params.version}/json`);
      if (!entry) return reply;
      const rel = entry.releases.find((x) => x.version === req.params.version);
      if (!rel) return this.notFound();
      return json(200, {
        info: this.info(entry.name, rel),
        last_serial: this.serial,
        urls: rel.files.map((f) => this.fileJson(rel, f)),
        vulnerabilities: [],
      });
    });
    r.get("/packages/:a/:b/:rest/:filename", (req) => {
      for (const entry of this.projects.values())
        for (const rel of entry.releases)
          for (const f of rel.files)
            if (f.filename === req.params.filename) return bytes(f.content, "application/octet-stream");
      return text(404, "Not Found");
    });
    return r;
  }
}

// ---------------------------------------------------------------------------------------------------
// Go module proxy

/** The module proxy's case encoding: each upper-case letter becomes `!` and its lower-case form. */
export function goEscapePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Inverse of goEscapePath; null for a path that is not validly escaped (a raw upper-case letter, a bad `!`). */
export function goUnescapePath(escaped: string): string | null {
  if (/[A-Z]/.test(escaped) || /![^a-z]|!$/.test(escaped)) return null;
  return escaped.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());
}

interface GoVersion {
  version: string;
  time: number;
  mod: string;
}

const PSEUDO = /^v\d+\.\d+\.\d+-(?:0\.|[\w.]+\.0\.)?\d{14}-[0-9a-f]{12}$/;

/**
 * A Go module proxy (GOPROXY protocol): `/<module>/@v/list`, `/<module>/@v/<version>.info` → `{Version, Time}`,
 * `.mod`, `.zip`, and `/<module>/@latest`, with module paths and versions case-encoded (`!x` for `X`).
 * Errors are plain text; 404 and 410 mean "not here".
 */
export class GoProxyStandIn extends RegistryStandIn {
  private readonly modules = new Map<string, GoVersion[]>();

  static async start(): Promise<GoProxyStandIn> {
    const proxy = new GoProxyStandIn();
    await proxy.listen(proxy.routes());
    return proxy;
  }

  protected notFound() {
    return text(404, "not found");
  }

  publish(module: string, version: string, options: { time?: string | Date; mod?: string } = {}): void {
    const list = this.modules.get(module) ?? [];
    if (list.some((v) => v.version === version))
      throw new Error(`stand-in: ${module}@${version} already exists`);
    list.push({
      version,
      time: options.time ? new Date(options.time).getTime() : Date.now(),
      mod: options.mod ?? `module ${module}\n\ngo 1.21\n`,
    });
    this.modules.set(module, list);
  }

  /** Removes a version, as a proxy that never saw it would answer (404). */
  remove(module: string, version: string): void {
    const list = this.modules.get(module);
    if (list)
      this.modules.set(
        module,
        list.filter((v) => v.version !== version),
      );
  }

  private routes(): Router {
    const r = new Router();
    const info = (v: GoVersion) => ({
      Version: v.version,
      Time: new Date(v.time).toISOString().replace(/\.\d{3}Z$/, "Z"),
    });
    r.get(/^\/(?<module>.+)\/@latest$/, (req) => {
      const module = goUnescapePath(req.params.module!);
      if (module === null)
        return text(400, `bad request: invalid escaped module path "${req.params.module}"`);
      const list = this.modules.get(module) ?? [];
      const release = list.filter((v) => !PSEUDO.test(v.version) && !isPrerelease(v.version));
      const pick = [...(release.length ? release : list)].sort((a, b) =>
        compareVersions(b.version, a.version),
      )[0];
      return pick ? json(200, info(pick)) : text(404, `not found: module ${module}: no matching versions`);
    });
    r.get(/^\/(?<module>.+)\/@v\/(?<file>[^/]+)$/, async (req) => {
      const module = goUnescapePath(req.params.module!);
      if (module === null)
        return text(400, `bad request: invalid escaped module path "${req.params.module}"`);
      const list = this.modules.get(module);
      const file = req.params.file!;
      if (file === "list") {
        if (!list) return text(404, `not found: module ${module}: no matching versions`);
        const versions = list.filter((v) => !PSEUDO.test(v.version)).map((v) => v.version);
        return text(200, versions.length ? `${versions.join("\n")}\n` : "");
      }
      const m = /^(?<version>.+)\.(?<ext>info|mod|zip)$/.exec(file);
      const version = m ? goUnescapePath(m.groups!.version!) : null;
      if (!m || version === null) return text(400, `bad request: invalid escaped version "${file}"`);
      const v = list?.find((x) => x.version === version);
      if (!v)
        return text(404, `not found: ${module}@${version}: invalid version: unknown revision ${version}`);
      const ext = m.groups!.ext;
      if (ext === "info") return json(200, info(v));
      if (ext === "mod") return text(200, v.mod);
      const prefix = `${module}@${version}/`;
      return bytes(await zipFiles({ [`${prefix}go.mod`]: v.mod }), "application/zip");
    });
    return r;
  }
}

/** Starts all four registry stand-ins; `close()` stops them all. */
export async function startRegistries(): Promise<{
  npm: NpmRegistryStandIn;
  crates: CratesIoStandIn;
  pypi: PyPIStandIn;
  goproxy: GoProxyStandIn;
  close(): Promise<void>;
}> {
  const [npm, crates, pypi, goproxy] = await Promise.all([
    NpmRegistryStandIn.start(),
    CratesIoStandIn.start(),
    PyPIStandIn.start(),
    GoProxyStandIn.start(),
  ]);
  return {
    npm,
    crates,
    pypi,
    goproxy,
    close: async () => {
      await Promise.all([npm.close(), crates.close(), pypi.close(), goproxy.close()]);
    },
  };
}
