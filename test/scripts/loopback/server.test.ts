// The loopback base: routing, the request log (tokens redacted), mutating(), and each kind of injected fault.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { json, LoopbackServer, Router, routeMatcher } from "../../../scripts/loopback/server.js";

let server: LoopbackServer;

beforeEach(async () => {
  const router = new Router()
    .get("/things/:id", (req) => json(200, { id: req.params.id, q: req.query.get("q") }))
    .add("POST", "/things", (req) => json(201, { got: JSON.parse(req.body) }))
    .get("/files/*path", (req) => json(200, { path: req.params.path }));
  server = await LoopbackServer.start(router);
});

afterEach(async () => {
  await server.close();
});

describe("LoopbackServer", () => {
  it("listens on 127.0.0.1 with an OS-chosen port and routes by method and path", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/things/42?q=x`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "42", q: "x" });
    expect(await (await fetch(`${server.url}/files/a/b%20c.txt`)).json()).toEqual({ path: "a/b c.txt" });
    const missing = await fetch(`${server.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "Not Found" });
  });

  it("logs every request with its body and query, redacting credentials, and lists the mutating ones", async () => {
    await fetch(`${server.url}/things/1?q=y`, { headers: { authorization: "Bearer s3cr3t-token" } });
    await fetch(`${server.url}/things`, {
      method: "POST",
      headers: { authorization: "token s3cr3t-token", "content-type": "application/json" },
      body: JSON.stringify({ a: 1 }),
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /things/1", "POST /things"]);
    expect(server.requests[0]!.query).toEqual({ q: "y" });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer [redacted]");
    expect(server.requests[1]!.headers.authorization).toBe("token [redacted]");
    expect(JSON.stringify(server.requests)).not.toContain("s3cr3t-token");
    expect(server.mutating().map((r) => r.body)).toEqual(['{"a":1}']);
    expect(server.find("GET /things/*")).toHaveLength(1);
  });

  it("fails a route a given number of times, then answers normally", async () => {
    const fault = server.fail("GET /things/*", { status: 500, times: 1 });
    const first = await fetch(`${server.url}/things/1`);
    expect(first.status).toBe(500);
    expect(await first.json()).toEqual({ message: "Internal Server Error" });
    expect((await fetch(`${server.url}/things/1`)).status).toBe(200);
    expect(fault.hits).toBe(1);
    // Other routes and methods are untouched.
    server.fail("POST /things", { status: 401, body: { message: "Bad credentials" } });
    expect((await fetch(`${server.url}/things/2`)).status).toBe(200);
    const denied = await fetch(`${server.url}/things`, { method: "POST", body: "{}" });
    expect(denied.status).toBe(401);
    server.clearFaults();
    expect((await fetch(`${server.url}/things`, { method: "POST", body: "{}" })).status).toBe(201);
  });

  it("answers with extra headers, an HTML page, or wrong-shape JSON when told", async () => {
    server.fail("/things/1", { status: 403, headers: { "x-ratelimit-remaining": "0" }, times: 1 });
    const limited = await fetch(`${server.url}/things/1`);
    expect(limited.status).toBe(403);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");

    server.fail("/things/2", { status: 200, html: true, times: 1 });
    const html = await fetch(`${server.url}/things/2`);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    await expect(html.json()).rejects.toThrow();

    server.fail(/^\/things\/3$/, { status: 200, body: { unexpected: ["shape"] }, times: 1 });
    expect(await (await fetch(`${server.url}/things/3`)).json()).toEqual({ unexpected: ["shape"] });
  });

  it("resets the connection, or answers too late for a client's timeout", async () => {
    server.fail("/things/1", { reset: true, times: 1 });
    await expect(fetch(`${server.url}/things/1`)).rejects.toThrow();

    server.fail("/things/2", { delayMs: 2_000, times: 1 });
    const started = Date.now();
    await expect(fetch(`${server.url}/things/2`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);

    // A delay alone slows the real answer down without replacing it.
    server.fail("/things/3", { delayMs: 50, times: 1 });
    const slow = Date.now();
    expect((await fetch(`${server.url}/things/3`)).status).toBe(200);
    expect(Date.now() - slow).toBeGreaterThanOrEqual(45);
  });
});

describe("routeMatcher", () => {
  it("matches one segment with *, anything with **, and an optional method", () => {
    expect(routeMatcher("/repos/*/x")("GET", "/repos/a/x")).toBe(true);
    expect(routeMatcher("/repos/*/x")("GET", "/repos/a/b/x")).toBe(false);
    expect(routeMatcher("/repos/**")("PUT", "/repos/a/b/x")).toBe(true);
    expect(routeMatcher("POST /a")("GET", "/a")).toBe(false);
    expect(routeMatcher("/a.b")("GET", "/aXb")).toBe(false);
  });
});
