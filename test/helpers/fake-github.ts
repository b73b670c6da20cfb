// Test helper: a loopback HTTP server answering GitHub's REST paths for issues and workflow runs,
// with GitHub's JSON shapes, token checks and injectable failures.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: { name: string }[];
  html_url: string;
}

export interface FakeGitHub {
  url: string;
  issues: FakeIssue[];
  /** Every request body received, raw, for leak checks. */
  received: string[];
  requests: { method: string; path: string }[];
  runs: Map<
    number,
    { name: string; conclusion: string; jobs: { name: string; conclusion: string | null }[] }
  >;
  /** Answer every request with this status until cleared. */
  failWith: number | null;
  close(): Promise<void>;
}

export async function startFakeGitHub(token: string, owner = "acme", repo = "widget"): Promise<FakeGitHub> {
  const state: Omit<FakeGitHub, "url" | "close"> = {
    issues: [],
    received: [],
    requests: [],
    runs: new Map(),
    failWith: null,
  };
  const base = `/repos/${owner}/${repo}`;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    state.received.push(raw);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    state.requests.push({ method: req.method ?? "", path: url.pathname });
    if (state.failWith) return send(res, state.failWith, { message: "Server Error" });
    const auth = req.headers.authorization ?? "";
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
      return send(res, 401, {
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
      });
    }
    const body = raw ? JSON.parse(raw) : {};
    const issueMatch = new RegExp(`^${base}/issues/(\\d+)$`).exec(url.pathname);
    const runMatch = new RegExp(`^${base}/actions/runs/(\\d+)(/jobs)?$`).exec(url.pathname);
    if (url.pathname === `${base}/issues` && req.method === "GET") {
      const label = url.searchParams.get("labels");
      const wanted = url.searchParams.get("state") ?? "open";
      return send(
        res,
        200,
        state.issues.filter(
          (i) =>
            (!label || i.labels.some((l) => l.name === label)) && (wanted === "all" || i.state === wanted),
        ),
      );
    }
    if (url.pathname === `${base}/issues` && req.method === "POST") {
      const number = state.issues.length + 1;
      const issue: FakeIssue = {
        number,
        title: body.title,
        body: body.body ?? "",
        state: "open",
        labels: (body.labels ?? []).map((name: string) => ({ name })),
        html_url: `https://github.example.invalid/${owner}/${repo}/issues/${number}`,
      };
      state.issues.push(issue);
      return send(res, 201, issue);
    }
    if (issueMatch) {
      const issue = state.issues.find((i) => i.number === Number(issueMatch[1]));
      if (!issue) return send(res, 404, { message: "Not Found" });
      if (req.method === "PATCH")
        Object.assign(
          issue,
          body.state ? { state: body.state } : {},
          body.body !== undefined ? { body: body.body } : {},
        );
      return send(res, 200, issue);
    }
    if (runMatch) {
      const run = state.runs.get(Number(runMatch[1]));
      if (!run) return send(res, 404, { message: "Not Found" });
      const html_url = `https://github.example.invalid/${owner}/${repo}/actions/runs/${runMatch[1]}`;
      if (runMatch[2])
        return send(res, 200, {
          total_count: run.jobs.length,
          jobs: run.jobs.map((j, i) => ({ id: i + 1, ...j })),
        });
      return send(res, 200, {
        id: Number(runMatch[1]),
        name: run.name,
        conclusion: run.conclusion,
        status: "completed",
        html_url,
      });
    }
    return send(res, 404, { message: "Not Found" });
  };
  const server: Server = createServer((req, res) => {
    handler(req, res).catch((err) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake = state as FakeGitHub;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
