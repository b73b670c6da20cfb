// The registry stand-ins answer plain fetch with the documented paths and shapes of the npm registry,
// crates.io API v1, PyPI's JSON API and the Go module proxy protocol, and follow their scripted state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  goEscapePath,
  goUnescapePath,
  normalizePythonName,
  startRegistries,
} from "../../../scripts/loopback/registries.js";

let reg: Awaited<ReturnType<typeof startRegistries>>;
const UA = { "user-agent": "shipgate-test (https://example.invalid)" };

beforeAll(async () => {
  reg = await startRegistries();
});

afterAll(async () => {
  await reg.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the tests walk the registries' JSON freely and assert on it.
type Json = any;

async function get(url: string, headers: Record<string, string> = UA) {
  const res = await fetch(url, { headers });
  const type = res.headers.get("content-type") ?? "";
  const body: Json = type.includes("json") ? await res.json() : await res.text();
  return { status: res.status, type, body, url: res.url };
}

describe("npm registry stand-in", () => {
  it("serves a packument with dist-tags, versions and times; unknown packages are 404 {error}", async () => {
    const { npm } = reg;
    npm.publish("plasmite", "0.1.0");
    npm.publish("plasmite", "0.2.0");
    npm.publish("plasmite", "0.3.0-rc.1", { tag: "next" });
    const { status, body } = await get(`${npm.url}/plasmite`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      _id: "plasmite",
      name: "plasmite",
      "dist-tags": { latest: "0.2.0", next: "0.3.0-rc.1" },
    });
    expect(Object.keys(body.versions)).toEqual(["0.1.0", "0.2.0", "0.3.0-rc.1"]);
    expect(body.versions["0.2.0"]).toMatchObject({
      name: "plasmite",
      version: "0.2.0",
      _id: "plasmite@0.2.0",
    });
    expect(body.versions["0.2.0"].dist.integrity).toMatch(/^sha512-/);
    expect(body.time).toHaveProperty("created");
    expect(body.time).toHaveProperty("0.2.0");
    const tarball = await fetch(body.versions["0.2.0"].dist.tarball);
    expect(tarball.status).toBe(200);

    const missing = await get(`${npm.url}/no-such-package`);
    expect(missing).toMatchObject({ status: 404, body: { error: "Not found" } });

    npm.setDistTag("plasmite", "latest", "0.1.0");
    npm.deprecate("plasmite", "0.2.0", "broken build");
    const after = (await get(`${npm.url}/plasmite`)).body;
    expect(after["dist-tags"].latest).toBe("0.1.0");
    expect(after.versions["0.2.0"].deprecated).toBe("broken build");
    expect((await get(`${npm.url}/plasmite/latest`)).body.version).toBe("0.1.0");
    expect(await get(`${npm.url}/plasmite/9.9.9`)).toMatchObject({
      status: 404,
      body: "version not found: 9.9.9",
    });
    expect((await get(`${npm.url}/-/package/plasmite/dist-tags`)).body).toEqual({
      latest: "0.1.0",
      next: "0.3.0-rc.1",
    });
  });

  it("answers scoped names encoded as npm sends them, and the abbreviated document on request", async () => {
    const { npm } = reg;
    npm.publish("@plasmite/node", "1.0.0");
    for (const path of ["@plasmite%2fnode", "@plasmite%2Fnode", "@plasmite/node"]) {
      const { status, body } = await get(`${npm.url}/${path}`);
      expect(status).toBe(200);
      expect(body.name).toBe("@plasmite/node");
    }
    const abbreviated = await get(`${npm.url}/@plasmite%2fnode`, {
      accept: "application/vnd.npm.install-v1+json",
    });
    expect(abbreviated.type).toBe("application/vnd.npm.install-v1+json");
    expect(Object.keys(abbreviated.body).sort()).toEqual(["dist-tags", "modified", "name", "versions"]);
    expect(abbreviated.body.versions["1.0.0"].dist.tarball).toBe(
      `${npm.url}/@plasmite/node/-/node-1.0.0.tgz`,
    );
    expect((await fetch(abbreviated.body.versions["1.0.0"].dist.tarball)).status).toBe(200);
  });
});

describe("crates.io stand-in", () => {
  it("serves a crate with max_version and versions carrying `yanked`, and one version", async () => {
    const { crates } = reg;
    crates.publish("plasmite", "0.1.0");
    crates.publish("plasmite", "0.2.0");
    crates.publish("plasmite", "0.3.0-beta.1");
    crates.yank("plasmite", "0.2.0");
    const { status, body } = await get(`${crates.url}/api/v1/crates/plasmite`);
    expect(status).toBe(200);
    expect(body.crate).toMatchObject({
      name: "plasmite",
      max_version: "0.3.0-beta.1",
      max_stable_version: "0.1.0",
      newest_version: "0.3.0-beta.1",
    });
    expect(body.versions.map((v: { num: string; yanked: boolean }) => [v.num, v.yanked])).toEqual([
      ["0.3.0-beta.1", false],
      ["0.2.0", true],
      ["0.1.0", false],
    ]);
    expect(body.crate.versions).toEqual(body.versions.map((v: { id: number }) => v.id));

    const one = await get(`${crates.url}/api/v1/crates/plasmite/0.2.0`);
    expect(one.body.version).toMatchObject({ crate: "plasmite", num: "0.2.0", yanked: true });
    expect(one.body.version.dl_path).toBe("/api/v1/crates/plasmite/0.2.0/download");
    crates.unyank("plasmite", "0.2.0");
    expect((await get(`${crates.url}/api/v1/crates/plasmite/0.2.0`)).body.version.yanked).toBe(false);

    const noVersion = await get(`${crates.url}/api/v1/crates/plasmite/9.9.9`);
    expect(noVersion.status).toBe(404);
    expect(noVersion.body.errors[0].detail).toContain("does not have a version");
    const noCrate = await get(`${crates.url}/api/v1/crates/nope`);
    expect(noCrate).toMatchObject({
      status: 404,
      body: { errors: [{ detail: "crate `nope` does not exist" }] },
    });
  });

  it("refuses a request without a User-Agent with 403, as crates.io does", async () => {
    const { crates } = reg;
    crates.publish("ua-check", "1.0.0");
    // Node's fetch always sends one, so this request goes out over node:http without it.
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${crates.url}/api/v1/crates/ua-check`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
    expect((await get(`${crates.url}/api/v1/crates/ua-check`)).status).toBe(200);
  });
});

describe("PyPI stand-in", () => {
  it("serves the project and version JSON with info.version and wheel/sdist urls; 404 otherwise", async () => {
    const { pypi } = reg;
    pypi.publish("plasmite", "0.1.0");
    pypi.publish("plasmite", "0.2.0");
    pypi.publish("plasmite", "0.3.0rc1");
    const { status, body } = await get(`${pypi.url}/pypi/plasmite/json`);
    expect(status).toBe(200);
    expect(body.info).toMatchObject({ name: "plasmite", version: "0.2.0", yanked: false });
    expect(body.urls.map((u: { packagetype: string }) => u.packagetype)).toEqual(["bdist_wheel", "sdist"]);
    expect(body.urls[0]).toMatchObject({ filename: "plasmite-0.2.0-py3-none-any.whl", yanked: false });
    expect(body.urls[0].digests.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(body.releases)).toEqual(["0.1.0", "0.2.0", "0.3.0rc1"]);
    expect((await fetch(body.urls[0].url)).status).toBe(200);

    const version = await get(`${pypi.url}/pypi/plasmite/0.1.0/json`);
    expect(version.body.info.version).toBe("0.1.0");
    expect(version.body.urls.map((u: { filename: string }) => u.filename)).toContain("plasmite-0.1.0.tar.gz");

    pypi.yank("plasmite", "0.2.0", "bad wheel");
    const after = await get(`${pypi.url}/pypi/plasmite/json`);
    expect(after.body.info.version).toBe("0.1.0");
    expect(after.body.releases["0.2.0"][0]).toMatchObject({ yanked: true, yanked_reason: "bad wheel" });

    expect(await get(`${pypi.url}/pypi/nope/json`)).toMatchObject({
      status: 404,
      body: { message: "Not Found" },
    });
    expect((await get(`${pypi.url}/pypi/plasmite/9.9.9/json`)).status).toBe(404);
  });

  it("redirects a non-canonical spelling of the name to the project's own", async () => {
    const { pypi } = reg;
    pypi.publish("Plasmite_Py", "1.0.0");
    const res = await fetch(`${pypi.url}/pypi/plasmite-py/json`, { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`${pypi.url}/pypi/Plasmite_Py/json`);
    const followed = await get(`${pypi.url}/pypi/plasmite.py/1.0.0/json`);
    expect(followed.body.info).toMatchObject({ name: "Plasmite_Py", version: "1.0.0" });
    expect(normalizePythonName("Plasmite__Py.x")).toBe("plasmite-py-x");
  });
});

describe("Go module proxy stand-in", () => {
  it("serves @v/list, .info {Version, Time}, .mod, .zip and @latest for case-encoded module paths", async () => {
    const { goproxy } = reg;
    const module = "github.com/Plasmite/plasmite-go";
    goproxy.publish(module, "v0.1.0", { time: "2024-05-01T12:00:00Z" });
    goproxy.publish(module, "v0.2.0");
    goproxy.publish(module, "v0.0.0-20240101000000-abcdefabcdef");
    const escaped = goEscapePath(module);
    expect(escaped).toBe("github.com/!plasmite/plasmite-go");
    expect(goUnescapePath(escaped)).toBe(module);

    const list = await get(`${goproxy.url}/${escaped}/@v/list`);
    expect(list).toMatchObject({ status: 200, body: "v0.1.0\nv0.2.0\n" });
    const info = await get(`${goproxy.url}/${escaped}/@v/v0.1.0.info`);
    expect(info.body).toEqual({ Version: "v0.1.0", Time: "2024-05-01T12:00:00Z" });
    expect((await get(`${goproxy.url}/${escaped}/@v/v0.2.0.mod`)).body).toContain(`module ${module}`);
    const zip = await fetch(`${goproxy.url}/${escaped}/@v/v0.2.0.zip`);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect((await get(`${goproxy.url}/${escaped}/@latest`)).body.Version).toBe("v0.2.0");

    const missing = await get(`${goproxy.url}/${escaped}/@v/v9.9.9.info`);
    expect(missing.status).toBe(404);
    expect(missing.type).toMatch(/^text\/plain/);
    // A raw upper-case letter is not a validly escaped path.
    expect((await get(`${goproxy.url}/${module}/@v/list`)).status).toBe(400);
    goproxy.remove(module, "v0.2.0");
    expect((await get(`${goproxy.url}/${escaped}/@v/list`)).body).toBe("v0.1.0\n");
  });
});

describe("registry faults", () => {
  it("inject per route like the GitHub stand-in", async () => {
    const { npm } = reg;
    npm.publish("flaky", "1.0.0");
    npm.fail("GET /flaky", { status: 503, times: 1 });
    expect((await get(`${npm.url}/flaky`)).status).toBe(503);
    expect((await get(`${npm.url}/flaky`)).status).toBe(200);
    expect(npm.mutating()).toEqual([]);
  });
});
