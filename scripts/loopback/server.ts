// Loopback HTTP base for the GitHub and registry stand-ins: listens on 127.0.0.1 only, logs every
// request (tokens redacted), routes by method and path, and injects faults by route.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a route handler sees: the raw (still percent-encoded) pathname, decoded params, the body as text. */
export interface LoopbackRequest {
  method: string;
  path: string;
  url: URL;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  params: Record<string, string>;
  /** The absolute base URL of this server, for building links and redirects. */
  base: string;
}

/** `body`: a Buffer/Uint8Array or string is sent as is; anything else is sent as JSON. */
export interface LoopbackReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type RouteHandler = (req: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>;

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  /** Header names lower-cased; the credential part of Authorization is replaced by "[redacted]". */
  headers: Record<string, string>;
}

export interface FaultSpec {
  /** Status of the injected answer; 500 when the fault answers and no status is given. */
  status?: number;
  /** Injected body: a string is sent as is (text/plain, or text/html with `html`), anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests the fault applies to; unlimited when absent. */
  times?: number;
  /** Wait this long before answering; alone (no status/body/html/reset/headers) it only slows the real answer. */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Answer with an HTML page (a proxy or error page where JSON was expected). */
  html?: boolean;
}

export interface Fault {
  readonly pattern: string | RegExp;
  /** Requests this fault has applied to so far. */
  readonly hits: number;
  clear(): void;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): LoopbackReply => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body: JSON.stringify(body),
});

export const text = (
  status: number,
  body: string,
  contentType = "text/plain; charset=utf-8",
  headers: Record<string, string> = {},
): LoopbackReply => ({ status, headers: { "content-type": contentType, ...headers }, body });

export const bytes = (
  body: Uint8Array,
  contentType = "application/octet-stream",
  headers: Record<string, string> = {},
): LoopbackReply => ({ status: 200, headers: { "content-type": contentType, ...headers }, body });

export const redirect = (location: string, status = 302): LoopbackReply => ({
  status,
  headers: { location },
  body: "",
});

export const empty = (status = 204): LoopbackReply => ({ status });

const HTML_PAGE =
  "<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head>" +
  "<body><h1>Something went wrong</h1><p>This is an HTML page, not an API answer.</p></body></html>\n";

/**
 * A route pattern: either a RegExp tested against the raw pathname, or a string `"[METHOD ]/path"` where
 * `*` matches one path segment and `**` matches anything (slashes included). The query is never matched.
 */
export function routeMatcher(pattern: string | RegExp): (method: string, path: string) => boolean {
  if (pattern instanceof RegExp) return (_method, path) => pattern.test(path);
  const space = pattern.indexOf(" ");
  const method = space > 0 ? pattern.slice(0, space).toUpperCase() : null;
  const glob = space > 0 ? pattern.slice(space + 1) : pattern;
  const source = glob
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === "**" ? ".*" : part === "*" ? "[^/]+" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  const re = new RegExp(`^${source}$`);
  return (m, path) => (method === null || method === m) && re.test(path);
}

/** A small router: string patterns use `:name` for one segment and `*name` for the rest of the path. */
export class Router {
  private readonly routes: {
    method: string;
    re: RegExp;
    names: string[];
    handler: RouteHandler;
  }[] = [];

  add(method: string, pattern: string | RegExp, handler: RouteHandler): this {
    if (pattern instanceof RegExp) {
      this.routes.push({ method, re: pattern, names: [], handler });
      return this;
    }
    const names: string[] = [];
    const source = pattern
      .split("/")
      .map((seg) => {
        if (seg.startsWith(":")) {
          names.push(seg.slice(1));
          return "([^/]+)";
        }
        if (seg.startsWith("*")) {
          names.push(seg.slice(1));
          return "(.+)";
        }
        return seg.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    this.routes.push({ method, re: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  get(pattern: string | RegExp, handler: RouteHandler): this {
    return this.add("GET", pattern, handler);
  }

  /** The first route whose method and pattern match, with its params decoded; RegExp groups are named. */
  match(method: string, path: string): { handler: RouteHandler; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method && !(route.method === "GET" && method === "HEAD")) continue;
      const m = route.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? "");
      });
      for (const [name, value] of Object.entries(m.groups ?? {})) params[name] = safeDecode(value ?? "");
      return { handler: route.handler, params };
    }
    return null;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(", ") : value;
    if (name === "authorization") {
      const scheme = joined.split(" ")[0];
      out[name] = scheme && scheme !== joined ? `${scheme} [redacted]` : "[redacted]";
    } else if (name === "cookie" || name === "proxy-authorization") {
      out[name] = "[redacted]";
    } else {
      out[name] = joined;
    }
  }
  return out;
}

interface FaultState {
  pattern: string | RegExp;
  matches: (method: string, path: string) => boolean;
  spec: FaultSpec;
  hits: number;
  cleared: boolean;
}

export interface LoopbackServerOptions {
  /** Answer for requests no route matches; a JSON 404 by default. */
  notFound?: RouteHandler;
}

export class LoopbackServer {
  /** Every request received, in order, faulted ones included. */
  readonly requests: LoggedRequest[] = [];
  private faults: FaultState[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: `stand-in error: ${String(err)}` }));
      } else res.destroy();
    });
  });
  private address = "";

  private constructor(
    private readonly router: Router,
    private readonly options: LoopbackServerOptions,
  ) {}

  /** Starts a server on 127.0.0.1 with an OS-chosen port. */
  static async start(router: Router, options: LoopbackServerOptions = {}): Promise<LoopbackServer> {
    const server = new LoopbackServer(router, options);
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.server.address() as AddressInfo;
    server.address = `http://127.0.0.1:${port}`;
    return server;
  }

  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  get url(): string {
    return this.address;
  }

  /** Requests that could change remote state: everything but GET and HEAD. */
  mutating(): LoggedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" && r.method !== "HEAD");
  }

  /** Logged requests matching a route pattern (same syntax as `fail`). */
  find(pattern: string | RegExp): LoggedRequest[] {
    const matches = routeMatcher(pattern);
    return this.requests.filter((r) => matches(r.method, r.path));
  }

  /** Injects a fault for requests matching `pattern`; the newest matching fault wins. */
  fail(pattern: string | RegExp, spec: FaultSpec = {}): Fault {
    const state: FaultState = { pattern, matches: routeMatcher(pattern), spec, hits: 0, cleared: false };
    this.faults.push(state);
    return {
      pattern,
      get hits() {
        return state.hits;
      },
      clear: () => {
        state.cleared = true;
      },
    };
  }

  clearFaults(): void {
    for (const f of this.faults) f.cleared = true;
    this.faults = [];
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private takeFault(method: string, path: string): FaultSpec | null {
    for (let i = this.faults.length - 1; i >= 0; i--) {
      const f = this.faults[i]!;
      if (f.cleared || !f.matches(method, path)) continue;
      if (f.spec.times !== undefined && f.hits >= f.spec.times) continue;
      f.hits++;
      return f.spec;
    }
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.address);
    const method = (req.method ?? "GET").toUpperCase();
    this.requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: redactHeaders(req.headers),
    });

    const fault = this.takeFault(method, url.pathname);
    if (fault?.delayMs) await this.sleep(fault.delayMs);
    if (res.destroyed || req.socket.destroyed) return;
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    const answers =
      fault &&
      (fault.status !== undefined || fault.body !== undefined || fault.html || fault.headers !== undefined);
    let reply: LoopbackReply;
    if (fault && answers) {
      const status = fault.status ?? 500;
      if (fault.html)
        reply = text(status, typeof fault.body === "string" ? fault.body : HTML_PAGE, "text/html");
      else if (typeof fault.body === "string") reply = text(status, fault.body);
      else reply = json(status, fault.body ?? { message: "Internal Server Error" });
      reply.headers = { ...reply.headers, ...fault.headers };
    } else {
      const found = this.router.match(method, url.pathname);
      const request: LoopbackRequest = {
        method,
        path: url.pathname,
        url,
        query: url.searchParams,
        headers: req.headers,
        body,
        params: found?.params ?? {},
        base: this.address,
      };
      if (found) reply = await found.handler(request);
      else if (this.options.notFound) reply = await this.options.notFound(request);
      else reply = json(404, { message: "Not Found" });
    }
    send(res, reply, method === "HEAD");
  }
}

function send(res: ServerResponse, reply: LoopbackReply, head: boolean): void {
  const { body } = reply;
  let payload: Buffer | undefined;
  if (body === undefined || body === null) payload = undefined;
  else if (typeof body === "string") payload = Buffer.from(body, "utf8");
  else if (body instanceof Uint8Array) payload = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  else payload = Buffer.from(JSON.stringify(body), "utf8");
  const headers: Record<string, string> = { ...reply.headers };
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
    headers["content-type"] = "application/json; charset=utf-8";
  if (payload) headers["content-length"] = String(payload.length);
  res.writeHead(reply.status, headers);
  res.end(head ? undefined : payload);
}
