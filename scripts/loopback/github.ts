// Loopback stand-in for GitHub's REST API (issues, Actions, git refs and tags, check runs, releases,
// contents) with GitHub's paths, JSON shapes, status codes and redirects; its state is scripted by helpers.
import { createHash } from "node:crypto";
import {
  bytes,
  type Fault,
  type FaultSpec,
  json,
  type LoggedRequest,
  type LoopbackReply,
  type LoopbackRequest,
  LoopbackServer,
  type RouteHandler,
  Router,
  redirect,
  text,
} from "./server.js";
import { type FileMap, zipFiles } from "./zip.js";

/** The publish workflow's dispatch inputs in the reference runbook (and shipgate's defaults). */
export const RELEASE_DISPATCH_INPUTS = [
  "build_run_id",
  "rehearsal",
  "allow_partial_release",
  "skip_npm",
  "skip_pypi",
  "skip_crates_io",
];

export type RunStatus = "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
export type Conclusion =
  | "success"
  | "failure"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required"
  | "neutral"
  | "stale"
  | "startup_failure";

const DOCS = "https://docs.github.com/rest";

/** A deterministic 40-hex id derived from `seed` (commit, tree, tag object and blob ids of the stand-in). */
export function fakeSha(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

/** Git's blob id for `content`, as the contents API reports it. */
export function gitBlobSha(content: Uint8Array): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** A fault that answers like GitHub's primary rate limit: 403, remaining 0, a reset time. */
export function rateLimitFault(extra: Omit<FaultSpec, "status" | "body" | "headers"> = {}): FaultSpec {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  return {
    ...extra,
    status: 403,
    headers: {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": "5000",
      "x-ratelimit-reset": String(reset),
      "x-ratelimit-resource": "core",
    },
    body: {
      message: "API rate limit exceeded for user ID 1.",
      documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
      status: "403",
    },
  };
}

const error = (status: number, message: string, extra: Record<string, unknown> = {}): LoopbackReply =>
  json(status, { message, ...extra, documentation_url: DOCS, status: String(status) });
const notFound = () => error(404, "Not Found");
const validationFailed = (resource: string, field: string, code = "missing_field") =>
  error(422, "Validation Failed", { errors: [{ resource, code, field }] });

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

// ---------------------------------------------------------------------------------------------------
// Scripting inputs

export interface IssueInput {
  title: string;
  body?: string;
  labels?: string[];
  state?: "open" | "closed";
  /** Force this number (later issues continue after the highest number). */
  number?: number;
  /** Make it a pull request, which GitHub's issue list also returns. */
  pullRequest?: boolean;
}

export interface WorkflowInput {
  /** `.github/workflows/release.yml` or just `release.yml`. */
  path: string;
  name?: string;
  state?: "active" | "disabled_manually" | "disabled_inactivity";
  /** `false`: no workflow_dispatch trigger (dispatch answers 422). `inputs`: the declared inputs;
   * others are rejected like GitHub does. Default: dispatchable, any inputs. */
  dispatch?: false | { inputs?: string[] };
}

export interface StepInput {
  name: string;
  conclusion?: Conclusion | null;
}

export interface JobInput {
  name: string;
  /** Defaults to the run's conclusion. */
  conclusion?: Conclusion | null;
  steps?: StepInput[];
  /** Log text served (after a 302) by the job-logs endpoint once the job completed. */
  log?: string;
}

export interface ArtifactInput {
  name: string;
  /** Files zipped at runtime into the artifact's archive. */
  files: FileMap;
  expired?: boolean;
}

export interface RunInput {
  /** Workflow file name (`release.yml`), path or id. */
  workflow: string | number;
  event?: string;
  headSha?: string;
  headBranch?: string | null;
  displayTitle?: string;
  /** Final status; `completed` by default. */
  status?: RunStatus;
  /** Final conclusion; `success` by default for a completed run. */
  conclusion?: Conclusion | null;
  runAttempt?: number;
  createdAt?: string | Date;
  actor?: string;
  jobs?: JobInput[];
  artifacts?: ArtifactInput[];
  inputs?: Record<string, unknown>;
  /** The run starts queued, shows in_progress once observed, and reaches its final state after this
   * many observations (GETs of the run or listings that include it). */
  completeAfterPolls?: number;
  /** Likewise, after this many milliseconds from creation. */
  completeAfterMs?: number;
  /** Invisible (404 and absent from lists) until this many milliseconds after creation, as runs
   * created by a dispatch appear with a delay. */
  visibleAfterMs?: number;
}

export interface DispatchRequest {
  workflow: FakeWorkflow;
  ref: string;
  inputs: Record<string, unknown>;
}

/** What a dispatch turns into: a run (like RunInput, minus what the dispatch decides) or a refusal. */
export type DispatchOutcome =
  | Omit<RunInput, "workflow" | "event" | "headSha" | "headBranch" | "inputs">
  | { reject: { status: number; message: string } };

export type DispatchHandler = (d: DispatchRequest) => DispatchOutcome | undefined;

export interface ReleaseInput {
  tag: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  targetCommitish?: string;
  /** Asset name -> bytes. */
  assets?: FileMap;
  createdAt?: string | Date;
}

export interface CheckRunInput {
  headSha: string;
  name: string;
  status?: "queued" | "in_progress" | "completed";
  conclusion?: Conclusion | null;
  detailsUrl?: string;
}

// ---------------------------------------------------------------------------------------------------
// State

export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: string | null;
  labels: string[];
  pullRequest: boolean;
  comments: { id: number; body: string; createdAt: number }[];
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

export interface FakeWorkflow {
  id: number;
  name: string;
  path: string;
  state: "active" | "disabled_manually" | "disabled_inactivity";
  dispatch: false | { inputs?: string[] };
  createdAt: number;
  nextRunNumber: number;
}

export interface FakeJob {
  id: number;
  name: string;
  conclusion: Conclusion | null;
  steps: StepInput[];
  log?: string;
}

export interface FakeArtifact {
  id: number;
  name: string;
  files: FileMap;
  expired: boolean;
  zip: Promise<Buffer>;
  createdAt: number;
}

export interface FakeRun {
  id: number;
  workflowId: number;
  event: string;
  headSha: string;
  headBranch: string | null;
  displayTitle: string;
  runNumber: number;
  runAttempt: number;
  createdAt: number;
  actor: string;
  inputs?: Record<string, unknown>;
  finalStatus: RunStatus;
  finalConclusion: Conclusion | null;
  completeAfterPolls?: number;
  completeAfterMs?: number;
  visibleAfterMs?: number;
  /** Observations so far (GETs of the run, listings that included it). */
  polls: number;
  completedAt: number | null;
  jobs: FakeJob[];
  artifacts: FakeArtifact[];
}

export interface DispatchRecord {
  workflow: string;
  ref: string;
  inputs: Record<string, unknown>;
  /** The run the dispatch created; null when it was refused. */
  runId: number | null;
}

export interface FakeRelease {
  id: number;
  tag: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  targetCommitish: string;
  createdAt: number;
  assets: { id: number; name: string; content: Buffer; contentType: string }[];
}

interface Commit {
  sha: string;
  treeSha: string;
  message: string;
  parents: string[];
  files: Map<string, Buffer>;
  at: number;
}

interface TagObject {
  sha: string;
  tag: string;
  message: string;
  tagger: { name: string; email: string; date: string };
  object: { sha: string; type: "commit" };
}

interface Ids {
  next(
    kind: "issue" | "run" | "job" | "artifact" | "release" | "asset" | "check" | "workflow" | "comment",
  ): number;
}

const BOT = { login: "github-actions[bot]", id: 41898282, type: "Bot" };
const USER = { login: "octocat", id: 583231, type: "User" };

function simpleUser(base: string, who: { login: string; id: number; type: string }) {
  return {
    login: who.login,
    id: who.id,
    node_id: `U_${who.id}`,
    avatar_url: `${base}/avatars/${encodeURIComponent(who.login)}`,
    gravatar_id: "",
    url: `${base}/users/${encodeURIComponent(who.login)}`,
    html_url: `${base}/${encodeURIComponent(who.login)}`,
    type: who.type,
    site_admin: false,
  };
}

const sortedByName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class FakeRepo {
  readonly id: number;
  readonly defaultBranch = "main";
  readonly issues: FakeIssue[] = [];
  readonly workflows: FakeWorkflow[] = [];
  readonly runs: FakeRun[] = [];
  readonly releases: FakeRelease[] = [];
  readonly dispatches: DispatchRecord[] = [];
  readonly secrets = new Map<string, number>();
  readonly checkRuns: (CheckRunInput & { id: number; at: number })[] = [];
  /** Whether a dispatch asking for `return_run_details` gets them (200) or, as before GitHub offered
   * them, a bare 204 — so a client must find the run it started by itself. */
  returnRunDetails = true;
  private readonly refs = new Map<string, { sha: string; type: "commit" | "tag" }>();
  private readonly commits = new Map<string, Commit>();
  private readonly tagObjects = new Map<string, TagObject>();
  private readonly dispatchHandlers = new Map<number, DispatchHandler>();
  private nextIssueNumber = 1;

  constructor(
    readonly owner: string,
    readonly name: string,
    private readonly ids: Ids,
    id: number,
  ) {
    this.id = id;
    const root = this.commit(null, "initial commit", new Map());
    this.refs.set(`heads/${this.defaultBranch}`, { sha: root.sha, type: "commit" });
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  // --- git data ------------------------------------------------------------------------------------

  private commit(parent: string | null, message: string, files: Map<string, Buffer>): Commit {
    const at = Date.now();
    const sha = fakeSha(`${this.fullName}:${parent ?? "root"}:${message}:${this.commits.size}`);
    const commit: Commit = {
      sha,
      treeSha: fakeSha(`tree:${sha}`),
      message,
      parents: parent ? [parent] : [],
      files,
      at,
    };
    this.commits.set(sha, commit);
    return commit;
  }

  /** The commit a branch points at. */
  headSha(branch = this.defaultBranch): string {
    const ref = this.refs.get(`heads/${branch}`);
    if (!ref) throw new Error(`stand-in: no branch ${branch} in ${this.fullName}`);
    return ref.sha;
  }

  /** Registers `sha` as a commit (holding the default branch's current files) when it is unknown, so
   * refs can point at commits made elsewhere, e.g. in a test's local git repository. */
  private ensureCommit(sha: string): void {
    if (this.commits.has(sha)) return;
    const head = this.refs.get(`heads/${this.defaultBranch}`)?.sha;
    const files = head ? (this.commits.get(head)?.files ?? new Map()) : new Map();
    this.commits.set(sha, {
      sha,
      treeSha: fakeSha(`tree:${sha}`),
      message: "commit",
      parents: [],
      files: new Map(files),
      at: Date.now(),
    });
  }

  /** Points a branch at `sha` (an unknown sha becomes a commit with the default branch's files). */
  setBranch(branch: string, sha: string): void {
    this.ensureCommit(sha);
    this.refs.set(`heads/${branch}`, { sha, type: "commit" });
  }

  /** Creates tag `name` on `sha` (default: the default branch's head); annotated unless told otherwise. */
  addTag(
    name: string,
    options: {
      sha?: string;
      annotated?: boolean;
      message?: string;
      tagger?: { name: string; email: string };
    } = {},
  ): { ref: string; commitSha: string; tagSha: string | null } {
    const commitSha = options.sha ?? this.headSha();
    this.ensureCommit(commitSha);
    if (options.annotated === false) {
      this.refs.set(`tags/${name}`, { sha: commitSha, type: "commit" });
      return { ref: `refs/tags/${name}`, commitSha, tagSha: null };
    }
    const tagSha = fakeSha(`tag:${this.fullName}:${name}:${commitSha}`);
    this.tagObjects.set(tagSha, {
      sha: tagSha,
      tag: name,
      message: options.message ?? `${name}\n`,
      tagger: {
        ...(options.tagger ?? { name: "Release Bot", email: "release@example.invalid" }),
        date: iso(Date.now()),
      },
      object: { sha: commitSha, type: "commit" },
    });
    this.refs.set(`tags/${name}`, { sha: tagSha, type: "tag" });
    return { ref: `refs/tags/${name}`, commitSha, tagSha };
  }

  /** Resolves a branch, tag (peeled), `heads/x`/`tags/x`/`refs/...` name or commit sha to a commit sha. */
  resolveCommit(ref: string): string | null {
    const name = ref.replace(/^refs\//, "");
    const peel = (r: { sha: string; type: string } | undefined) =>
      r ? (r.type === "tag" ? (this.tagObjects.get(r.sha)?.object.sha ?? null) : r.sha) : null;
    const direct = peel(this.refs.get(name));
    if (direct) return direct;
    const branch = peel(this.refs.get(`heads/${name}`));
    if (branch) return branch;
    const tag = peel(this.refs.get(`tags/${name}`));
    if (tag) return tag;
    if (/^[0-9a-f]{40}$/.test(ref) && this.commits.has(ref)) return ref;
    return null;
  }

  /** Commits `content` at `path` on `branch` (default: the default branch), as a push would. */
  setContent(
    path: string,
    content: string | Uint8Array,
    options: { branch?: string; message?: string } = {},
  ): string {
    const branch = options.branch ?? this.defaultBranch;
    const parent = this.refs.get(`heads/${branch}`)?.sha ?? this.headSha();
    const files = new Map(this.commits.get(parent)?.files ?? []);
    files.set(path.replace(/^\/+/, ""), Buffer.from(content));
    const commit = this.commit(parent, options.message ?? `update ${path}`, files);
    this.refs.set(`heads/${branch}`, { sha: commit.sha, type: "commit" });
    return commit.sha;
  }

  /** The text of `path` at `ref` (branch, tag or sha; default branch by default), or undefined. */
  getContent(path: string, ref = this.defaultBranch): string | undefined {
    const sha = this.resolveCommit(ref);
    return sha ? this.commits.get(sha)?.files.get(path)?.toString("utf8") : undefined;
  }

  // --- issues --------------------------------------------------------------------------------------

  /** Later issues get numbers from `n` on (to exercise numbers past 10, say). */
  setNextIssueNumber(n: number): void {
    this.nextIssueNumber = n;
  }

  addIssue(input: IssueInput): FakeIssue {
    const number = input.number ?? this.nextIssueNumber;
    this.nextIssueNumber = Math.max(this.nextIssueNumber, number + 1);
    const now = Date.now();
    const issue: FakeIssue = {
      id: this.ids.next("issue"),
      number,
      title: input.title,
      body: input.body ?? null,
      state: input.state ?? "open",
      stateReason: input.state === "closed" ? "completed" : null,
      labels: [...(input.labels ?? [])],
      pullRequest: input.pullRequest ?? false,
      comments: [],
      createdAt: now,
      updatedAt: now,
      closedAt: input.state === "closed" ? now : null,
    };
    this.issues.push(issue);
    return issue;
  }

  // --- Actions -------------------------------------------------------------------------------------

  addWorkflow(input: WorkflowInput): FakeWorkflow {
    const path = input.path.includes("/") ? input.path : `.github/workflows/${input.path}`;
    const file = path.split("/").pop() ?? path;
    const workflow: FakeWorkflow = {
      id: this.ids.next("workflow"),
      name: input.name ?? file.replace(/\.ya?ml$/, ""),
      path,
      state: input.state ?? "active",
      dispatch: input.dispatch ?? {},
      createdAt: Date.now(),
      nextRunNumber: 1,
    };
    this.workflows.push(workflow);
    return workflow;
  }
  /**
   * The three workflows of the reference runbook's release: the tag's build (release.yml), the
   * dispatched publish (release-publish.yml, with its dispatch inputs) and CI (ci.yml).
   */
  addReleaseWorkflows(): void {
    this.addWorkflow({ path: "release.yml", name: "release" });
    this.addWorkflow({
      path: "release-publish.yml",
      name: "release-publish",
      dispatch: { inputs: RELEASE_DISPATCH_INPUTS },
    });
    this.addWorkflow({ path: "ci.yml", name: "ci" });
  }

  /** A workflow by id, file name (`release.yml`) or path. */
  workflow(idOrFile: string | number): FakeWorkflow | undefined {
    const key = String(idOrFile);
    return this.workflows.find(
      (w) => String(w.id) === key || w.path === key || w.path.split("/").pop() === key,
    );
  }

  addRun(input: RunInput): FakeRun {
    const workflow = this.workflow(input.workflow);
    if (!workflow)
      throw new Error(`stand-in: no workflow ${input.workflow} in ${this.fullName}; addWorkflow first`);
    const createdAt = input.createdAt ? new Date(input.createdAt).getTime() : Date.now();
    const finalStatus = input.status ?? "completed";
    const finalConclusion =
      input.conclusion !== undefined ? input.conclusion : finalStatus === "completed" ? "success" : null;
    const run: FakeRun = {
      id: this.ids.next("run"),
      workflowId: workflow.id,
      event: input.event ?? "push",
      headSha: input.headSha ?? this.headSha(),
      headBranch: input.headBranch !== undefined ? input.headBranch : this.defaultBranch,
      displayTitle: input.displayTitle ?? workflow.name,
      runNumber: workflow.nextRunNumber++,
      runAttempt: input.runAttempt ?? 1,
      createdAt,
      actor: input.actor ?? USER.login,
      finalStatus,
      finalConclusion,
      polls: 0,
      completedAt: null,
      jobs: (input.jobs ?? []).map((j) => {
        const conclusion = j.conclusion !== undefined ? j.conclusion : finalConclusion;
        return {
          id: this.ids.next("job"),
          name: j.name,
          conclusion,
          steps:
            j.steps ??
            (conclusion === "skipped"
              ? []
              : [
                  { name: "Set up job", conclusion: "success" },
                  { name: `Run ${j.name}`, conclusion },
                ]),
          ...(j.log !== undefined ? { log: j.log } : {}),
        };
      }),
      artifacts: (input.artifacts ?? []).map((a) => ({
        id: this.ids.next("artifact"),
        name: a.name,
        files: a.files,
        expired: a.expired ?? false,
        zip: zipFiles(a.files),
        createdAt,
      })),
    };
    if (input.inputs) run.inputs = input.inputs;
    if (input.completeAfterPolls !== undefined) run.completeAfterPolls = input.completeAfterPolls;
    if (input.completeAfterMs !== undefined) run.completeAfterMs = input.completeAfterMs;
    if (input.visibleAfterMs !== undefined) run.visibleAfterMs = input.visibleAfterMs;
    this.runs.push(run);
    return run;
  }

  /** Ends a scripted run now, optionally with another conclusion than the scripted one. */
  completeRun(id: number, conclusion?: Conclusion): FakeRun {
    const run = this.runs.find((r) => r.id === id);
    if (!run) throw new Error(`stand-in: no run ${id}`);
    run.finalStatus = "completed";
    if (conclusion) {
      run.finalConclusion = conclusion;
      for (const job of run.jobs) if (job.conclusion !== "skipped") job.conclusion = conclusion;
    }
    run.completeAfterPolls = 0;
    delete run.completeAfterMs;
    return run;
  }

  /** Decides what a dispatch of `workflow` turns into. Without a handler a dispatch creates a run that
   * succeeds after two observations. */
  onDispatch(workflow: string | number, handler: DispatchHandler): void {
    const wf = this.workflow(workflow);
    if (!wf) throw new Error(`stand-in: no workflow ${workflow}; addWorkflow first`);
    this.dispatchHandlers.set(wf.id, handler);
  }

  addSecret(name: string): void {
    this.secrets.set(name, Date.now());
  }

  removeSecret(name: string): void {
    this.secrets.delete(name);
  }

  addCheckRun(input: CheckRunInput): number {
    const id = this.ids.next("check");
    this.checkRuns.push({ ...input, id, at: Date.now() });
    return id;
  }

  addRelease(input: ReleaseInput): FakeRelease {
    const release: FakeRelease = {
      id: this.ids.next("release"),
      tag: input.tag,
      name: input.name ?? input.tag,
      body: input.body ?? null,
      draft: input.draft ?? false,
      prerelease: input.prerelease ?? false,
      targetCommitish: input.targetCommitish ?? this.defaultBranch,
      createdAt: input.createdAt ? new Date(input.createdAt).getTime() : Date.now(),
      assets: Object.entries(input.assets ?? {}).map(([name, content]) => ({
        id: this.ids.next("asset"),
        name,
        content: Buffer.from(content),
        contentType: contentTypeFor(name),
      })),
    };
    this.releases.push(release);
    return release;
  }

  // --- internal: run lifecycle -------------------------------------------------------------------------

  /** @internal */ visible(run: FakeRun): boolean {
    return run.visibleAfterMs === undefined || Date.now() - run.createdAt >= run.visibleAfterMs;
  }

  /** @internal The run's state now, without counting an observation. */
  state(run: FakeRun): { status: RunStatus; conclusion: Conclusion | null; done: boolean } {
    if (run.completedAt === null) {
      const scripted = run.completeAfterPolls !== undefined || run.completeAfterMs !== undefined;
      const done =
        !scripted ||
        (run.completeAfterPolls !== undefined && run.polls >= run.completeAfterPolls) ||
        (run.completeAfterMs !== undefined && Date.now() - run.createdAt >= run.completeAfterMs);
      if (!done) return { status: run.polls === 0 ? "queued" : "in_progress", conclusion: null, done: false };
      if (run.finalStatus === "completed") run.completedAt = Date.now();
    }
    return {
      status: run.finalStatus,
      conclusion: run.finalStatus === "completed" ? run.finalConclusion : null,
      done: run.finalStatus === "completed",
    };
  }

  /** @internal */ dispatch(
    workflow: FakeWorkflow,
    ref: string,
    inputs: Record<string, unknown>,
  ): LoopbackReply | FakeRun {
    const record: DispatchRecord = { workflow: workflow.path, ref, inputs, runId: null };
    this.dispatches.push(record);
    const headSha = this.resolveCommit(ref);
    if (!headSha) return error(422, `No ref found for: ${ref}`);
    const handler = this.dispatchHandlers.get(workflow.id);
    const outcome = handler?.({ workflow, ref, inputs }) ?? { conclusion: "success", completeAfterPolls: 2 };
    if ("reject" in outcome) return error(outcome.reject.status, outcome.reject.message);
    const run = this.addRun({
      ...outcome,
      workflow: workflow.id,
      event: "workflow_dispatch",
      headSha,
      headBranch: ref.replace(/^refs\/(heads|tags)\//, ""),
      inputs,
    });
    record.runId = run.id;
    return run;
  }

  /** @internal */ commitFiles(ref: string): Map<string, Buffer> | null {
    const sha = this.resolveCommit(ref);
    return sha ? (this.commits.get(sha)?.files ?? null) : null;
  }

  /** @internal */ refEntries(): [string, { sha: string; type: "commit" | "tag" }][] {
    return [...this.refs.entries()].sort(([a], [b]) => sortedByName(a, b));
  }

  /** @internal */ getRef(name: string) {
    return this.refs.get(name);
  }

  /** @internal */ createRef(name: string, sha: string): boolean {
    if (this.refs.has(name)) return false;
    const type = this.tagObjects.has(sha) ? "tag" : "commit";
    if (type === "commit") this.ensureCommit(sha);
    this.refs.set(name, { sha, type });
    return true;
  }

  /** @internal */ tagObject(sha: string): TagObject | undefined {
    return this.tagObjects.get(sha);
  }

  /** @internal */ commitSha(ref: string): string | null {
    return this.resolveCommit(ref);
  }

  /** @internal */ contentWrite(
    path: string,
    content: Buffer,
    message: string,
    branch: string,
  ): { sha: string; created: boolean; commit: Commit } {
    const parent = this.headSha(branch);
    const files = new Map(this.commits.get(parent)?.files ?? []);
    const created = !files.has(path);
    files.set(path, content);
    const commit = this.commit(parent, message, files);
    this.refs.set(`heads/${branch}`, { sha: commit.sha, type: "commit" });
    return { sha: gitBlobSha(content), created, commit };
  }
}

function contentTypeFor(name: string): string {
  if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) return "application/gzip";
  if (name.endsWith(".zip") || name.endsWith(".whl")) return "application/zip";
  if (name.endsWith(".txt") || name.endsWith(".md")) return "text/plain";
  if (name.endsWith(".json")) return "application/json";
  return "application/octet-stream";
}

// ---------------------------------------------------------------------------------------------------
// HTTP

function intParam(value: string | null, fallback: number): number {
  const n = value === null ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** One page of `items` as GitHub pages it (per_page ≤ 100, default 30) with a Link header. */
function paginate<T>(req: LoopbackRequest, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(intParam(req.query.get("per_page"), 30), 100);
  const page = intParam(req.query.get("page"), 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const u = new URL(req.url.pathname + req.url.search, req.base);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(p));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(", ") } : {},
  };
}

/** GitHub's `created` filter: `>=D`, `>D`, `<=D`, `<D`, `A..B` (either side `*`), or a bare date/time. */
function createdMatches(filter: string, at: number): boolean {
  const bound = (s: string, end: boolean) => {
    if (s === "*") return end ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
    return /^\d{4}-\d{2}-\d{2}$/.test(s) && end ? t + 86_400_000 - 1 : t;
  };
  const range = /^(.+)\.\.(.+)$/.exec(filter);
  if (range) return at >= bound(range[1]!, false) && at <= bound(range[2]!, true);
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(filter);
  if (cmp) {
    const [, op, value] = cmp;
    if (op === ">=") return at >= bound(value!, false);
    if (op === ">") return at > bound(value!, true);
    if (op === "<=") return at <= bound(value!, true);
    return at < bound(value!, false);
  }
  return at >= bound(filter, false) && at <= bound(filter, true);
}

const RUN_STATUSES = new Set(["queued", "in_progress", "completed", "waiting", "requested", "pending"]);

export interface GitHubStandInOptions {
  /** Accepted token(s): `Authorization: token X` or `Bearer X`. */
  token: string | string[];
  /** Repositories ("owner/name"); the first is the default. Default: ["acme/widget"]. */
  repos?: string[];
}

export class GitHubStandIn {
  private readonly repos = new Map<string, FakeRepo>();
  private readonly blobs = new Map<string, { body: () => Promise<Buffer>; contentType: string }>();
  private readonly counters = new Map<string, number>();
  private readonly tokens: Set<string>;
  private remaining = 5000;
  private server!: LoopbackServer;

  private constructor(options: GitHubStandInOptions) {
    this.tokens = new Set(Array.isArray(options.token) ? options.token : [options.token]);
    for (const slug of options.repos ?? ["acme/widget"]) this.addRepo(slug);
  }

  static async start(options: GitHubStandInOptions): Promise<GitHubStandIn> {
    const gh = new GitHubStandIn(options);
    gh.server = await LoopbackServer.start(gh.router());
    return gh;
  }

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

  addRepo(slug: string): FakeRepo {
    const [owner, name] = slug.split("/");
    if (!owner || !name) throw new Error(`stand-in: repository must be owner/name, got ${slug}`);
    const repo = new FakeRepo(owner, name, this.ids, 100_000 + this.repos.size);
    this.repos.set(slug.toLowerCase(), repo);
    return repo;
  }

  /** A repository by "owner/name"; the first one when no slug is given. */
  repo(slug?: string): FakeRepo {
    const repo = slug ? this.repos.get(slug.toLowerCase()) : this.repos.values().next().value;
    if (!repo) throw new Error(`stand-in: no repository ${slug ?? "(default)"}`);
    return repo;
  }

  private readonly ids: Ids = {
    next: (kind) => {
      const start: Record<string, number> = {
        issue: 2_000_000_001,
        run: 7_000_000_001,
        job: 20_000_000_001,
        artifact: 1_000_001,
        release: 150_000_001,
        asset: 180_000_001,
        check: 25_000_000_001,
        workflow: 60_000_001,
        comment: 1_900_000_001,
      };
      const n = this.counters.get(kind) ?? start[kind]!;
      this.counters.set(kind, n + 1);
      return n;
    },
  };

  private blob(key: string, body: () => Promise<Buffer>, contentType: string): string {
    this.blobs.set(key, { body, contentType });
    return `${this.server.url}/_blobs/${key}?sig=stand-in&se=${Date.now() + 60_000}`;
  }

  // --- serialization -------------------------------------------------------------------------------

  private repoJson(repo: FakeRepo) {
    const base = this.server.url;
    const api = `${base}/repos/${repo.fullName}`;
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: repo.fullName,
      owner: simpleUser(base, { login: repo.owner, id: repo.id + 1, type: "Organization" }),
      private: false,
      html_url: `${base}/${repo.fullName}`,
      description: null,
      fork: false,
      url: api,
      default_branch: repo.defaultBranch,
    };
  }

  private issueJson(repo: FakeRepo, issue: FakeIssue) {
    const base = this.server.url;
    const api = `${base}/repos/${repo.fullName}`;
    return {
      id: issue.id,
      node_id: `I_${issue.id}`,
      url: `${api}/issues/${issue.number}`,
      repository_url: api,
      labels_url: `${api}/issues/${issue.number}/labels{/name}`,
      comments_url: `${api}/issues/${issue.number}/comments`,
      events_url: `${api}/issues/${issue.number}/events`,
      html_url: `${base}/${repo.fullName}/${issue.pullRequest ? "pull" : "issues"}/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: simpleUser(base, USER),
      labels: issue.labels.map((name) => ({
        id: Number.parseInt(fakeSha(name).slice(0, 8), 16),
        node_id: `LA_${fakeSha(name).slice(0, 12)}`,
        url: `${api}/labels/${encodeURIComponent(name)}`,
        name,
        color: "ededed",
        default: false,
        description: null,
      })),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: issue.comments.length,
      ...(issue.pullRequest
        ? {
            pull_request: {
              url: `${api}/pulls/${issue.number}`,
              html_url: `${base}/${repo.fullName}/pull/${issue.number}`,
              diff_url: `${base}/${repo.fullName}/pull/${issue.number}.diff`,
              patch_url: `${base}/${repo.fullName}/pull/${issue.number}.patch`,
              merged_at: null,
            },
          }
        : {}),
      closed_at: issue.closedAt === null ? null : iso(issue.closedAt),
      created_at: iso(issue.createdAt),
      updated_at: iso(issue.updatedAt),
      author_association: "OWNER",
    };
  }

  private workflowJson(repo: FakeRepo, wf: FakeWorkflow) {
    const base = this.server.url;
    return {
      id: wf.id,
      node_id: `W_${wf.id}`,
      name: wf.name,
      path: wf.path,
      state: wf.state,
      created_at: iso(wf.createdAt),
      updated_at: iso(wf.createdAt),
      url: `${base}/repos/${repo.fullName}/actions/workflows/${wf.id}`,
      html_url: `${base}/${repo.fullName}/blob/${repo.defaultBranch}/${wf.path}`,
      badge_url: `${base}/${repo.fullName}/workflows/${encodeURIComponent(wf.name)}/badge.svg`,
    };
  }

  private runJson(repo: FakeRepo, run: FakeRun) {
    const base = this.server.url;
    const api = `${base}/repos/${repo.fullName}`;
    const wf = repo.workflows.find((w) => w.id === run.workflowId)!;
    const { status, conclusion } = repo.state(run);
    const minimal = this.repoJson(repo);
    const updated = run.completedAt ?? run.createdAt;
    return {
      id: run.id,
      name: wf.name,
      node_id: `WFR_${run.id}`,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: wf.path,
      display_title: run.displayTitle,
      run_number: run.runNumber,
      event: run.event,
      status,
      conclusion,
      workflow_id: wf.id,
      check_suite_id: run.id + 1,
      check_suite_node_id: `CS_${run.id + 1}`,
      url: `${api}/actions/runs/${run.id}`,
      html_url: `${base}/${repo.fullName}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: iso(run.createdAt),
      updated_at: iso(updated),
      actor: simpleUser(base, { ...USER, login: run.actor }),
      triggering_actor: simpleUser(base, { ...USER, login: run.actor }),
      run_attempt: run.runAttempt,
      referenced_workflows: [],
      run_started_at: iso(run.createdAt),
      jobs_url: `${api}/actions/runs/${run.id}/jobs`,
      logs_url: `${api}/actions/runs/${run.id}/logs`,
      check_suite_url: `${api}/check-suites/${run.id + 1}`,
      artifacts_url: `${api}/actions/runs/${run.id}/artifacts`,
      cancel_url: `${api}/actions/runs/${run.id}/cancel`,
      rerun_url: `${api}/actions/runs/${run.id}/rerun`,
      previous_attempt_url:
        run.runAttempt > 1 ? `${api}/actions/runs/${run.id}/attempts/${run.runAttempt - 1}` : null,
      workflow_url: `${api}/actions/workflows/${wf.id}`,
      head_commit: {
        id: run.headSha,
        tree_id: fakeSha(`tree:${run.headSha}`),
        message: run.displayTitle,
        timestamp: iso(run.createdAt),
        author: { name: "Release Bot", email: "release@example.invalid" },
        committer: { name: "GitHub", email: "noreply@github.com" },
      },
      repository: minimal,
      head_repository: minimal,
    };
  }

  private jobJson(repo: FakeRepo, run: FakeRun, job: FakeJob) {
    const base = this.server.url;
    const api = `${base}/repos/${repo.fullName}`;
    const wf = repo.workflows.find((w) => w.id === run.workflowId)!;
    const { status, done } = repo.state(run);
    const started = iso(run.createdAt);
    const finished = done ? iso(run.completedAt ?? run.createdAt) : null;
    return {
      id: job.id,
      run_id: run.id,
      run_url: `${api}/actions/runs/${run.id}`,
      run_attempt: run.runAttempt,
      node_id: `CR_${job.id}`,
      head_sha: run.headSha,
      head_branch: run.headBranch,
      url: `${api}/actions/jobs/${job.id}`,
      html_url: `${base}/${repo.fullName}/actions/runs/${run.id}/job/${job.id}`,
      status: done ? "completed" : status,
      conclusion: done ? job.conclusion : null,
      created_at: started,
      started_at: started,
      completed_at: finished,
      name: job.name,
      steps: job.steps.map((s, i) => ({
        name: s.name,
        status: done ? "completed" : i === 0 && status === "in_progress" ? "in_progress" : "queued",
        conclusion: done ? (s.conclusion ?? job.conclusion) : null,
        number: i + 1,
        started_at: started,
        completed_at: finished,
      })),
      check_run_url: `${api}/check-runs/${job.id}`,
      labels: ["ubuntu-latest"],
      runner_id: 1,
      runner_name: "GitHub Actions 1",
      runner_group_id: 1,
      runner_group_name: "GitHub Actions",
      workflow_name: wf.name,
    };
  }

  private async artifactJson(repo: FakeRepo, run: FakeRun, a: FakeArtifact) {
    const api = `${this.server.url}/repos/${repo.fullName}`;
    const zip = await a.zip;
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: zip.length,
      url: `${api}/actions/artifacts/${a.id}`,
      archive_download_url: `${api}/actions/artifacts/${a.id}/zip`,
      expired: a.expired,
      digest: `sha256:${createHash("sha256").update(zip).digest("hex")}`,
      created_at: iso(a.createdAt),
      updated_at: iso(a.createdAt),
      expires_at: iso(a.expired ? a.createdAt : a.createdAt + 90 * 86_400_000),
      workflow_run: {
        id: run.id,
        repository_id: repo.id,
        head_repository_id: repo.id,
        head_branch: run.headBranch,
        head_sha: run.headSha,
      },
    };
  }

  private releaseJson(repo: FakeRepo, r: FakeRelease) {
    const base = this.server.url;
    const api = `${base}/repos/${repo.fullName}`;
    return {
      url: `${api}/releases/${r.id}`,
      html_url: `${base}/${repo.fullName}/releases/tag/${encodeURIComponent(r.tag)}`,
      assets_url: `${api}/releases/${r.id}/assets`,
      upload_url: `${base}/uploads/repos/${repo.fullName}/releases/${r.id}/assets{?name,label}`,
      tarball_url: `${api}/tarball/${encodeURIComponent(r.tag)}`,
      zipball_url: `${api}/zipball/${encodeURIComponent(r.tag)}`,
      id: r.id,
      node_id: `RE_${r.id}`,
      tag_name: r.tag,
      target_commitish: r.targetCommitish,
      name: r.name,
      body: r.body,
      draft: r.draft,
      prerelease: r.prerelease,
      immutable: false,
      created_at: iso(r.createdAt),
      published_at: r.draft ? null : iso(r.createdAt),
      updated_at: iso(r.createdAt),
      author: simpleUser(base, BOT),
      assets: r.assets.map((a) => ({
        url: `${api}/releases/assets/${a.id}`,
        browser_download_url: `${base}/${repo.fullName}/releases/download/${encodeURIComponent(r.tag)}/${encodeURIComponent(a.name)}`,
        id: a.id,
        node_id: `RA_${a.id}`,
        name: a.name,
        label: null,
        state: "uploaded",
        content_type: a.contentType,
        size: a.content.length,
        digest: `sha256:${createHash("sha256").update(a.content).digest("hex")}`,
        download_count: 0,
        created_at: iso(r.createdAt),
        updated_at: iso(r.createdAt),
        uploader: simpleUser(base, BOT),
      })),
    };
  }

  private refJson(repo: FakeRepo, name: string, target: { sha: string; type: "commit" | "tag" }) {
    const api = `${this.server.url}/repos/${repo.fullName}`;
    return {
      ref: `refs/${name}`,
      node_id: `REF_${fakeSha(name).slice(0, 16)}`,
      url: `${api}/git/refs/${name}`,
      object: {
        sha: target.sha,
        type: target.type,
        url: `${api}/git/${target.type === "tag" ? "tags" : "commits"}/${target.sha}`,
      },
    };
  }

  private fileJson(repo: FakeRepo, path: string, content: Buffer | null, ref: string) {
    const base = this.server.url;
    const api = `${base}/repos/${repo.fullName}`;
    const sha = content ? gitBlobSha(content) : fakeSha(`dir:${path}`);
    const self = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
    const git = `${api}/git/${content ? "blobs" : "trees"}/${sha}`;
    const html = `${base}/${repo.fullName}/${content ? "blob" : "tree"}/${ref}/${path}`;
    return {
      type: content ? "file" : "dir",
      size: content?.length ?? 0,
      name: path.split("/").pop() ?? path,
      path,
      sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url: content ? `${base}/_raw/${repo.fullName}/${ref}/${path}` : null,
      _links: { self, git, html },
    };
  }

  // --- routes --------------------------------------------------------------------------------------

  private router(): Router {
    const r = new Router();
    const R = "/repos/:owner/:repo";

    const api =
      (
        handler: (repo: FakeRepo, req: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>,
      ): RouteHandler =>
      async (req) => {
        const auth = req.headers.authorization ?? "";
        const m = /^(?:token|bearer)\s+(\S+)$/i.exec(auth);
        let reply: LoopbackReply;
        if (!m || !this.tokens.has(m[1]!)) reply = error(401, "Bad credentials");
        else {
          const repo = this.repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase());
          reply = repo ? await handler(repo, req) : notFound();
        }
        this.remaining = Math.max(0, this.remaining - 1);
        reply.headers = {
          "x-github-api-version-selected": "2022-11-28",
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": String(this.remaining),
          "x-ratelimit-used": String(5000 - this.remaining),
          "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
          "x-ratelimit-resource": "core",
          "x-github-request-id": fakeSha(String(this.server.requests.length)).slice(0, 20).toUpperCase(),
          ...reply.headers,
        };
        return reply;
      };
    const parse = (req: LoopbackRequest): Record<string, unknown> | null => {
      if (!req.body) return {};
      try {
        const value = JSON.parse(req.body) as unknown;
        return value && typeof value === "object" && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : null;
      } catch {
        return null;
      }
    };
    const badJson = () => error(400, "Problems parsing JSON");
    const findRun = (repo: FakeRepo, id: string) => {
      const run = repo.runs.find((x) => String(x.id) === id);
      return run && repo.visible(run) ? run : undefined;
    };

    // Public hosts (github.com downloads, signed blob URLs, raw content): no token needed.
    r.get("/_blobs/:key", async (req) => {
      const blob = this.blobs.get(req.params.key!);
      if (!blob) return text(404, "BlobNotFound", "application/xml");
      return bytes(await blob.body(), blob.contentType);
    });
    r.get("/:owner/:repo/releases/download/:tag/:name", (req) => {
      const repo = this.repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase());
      const rel = repo?.releases.find((x) => x.tag === req.params.tag && !x.draft);
      const asset = rel?.assets.find((a) => a.name === req.params.name);
      if (!asset) return text(404, "Not Found");
      return redirect(this.blob(`asset-${asset.id}`, async () => asset.content, "application/octet-stream"));
    });
    r.get("/_raw/:owner/:repo/:ref/*path", (req) => {
      const repo = this.repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase());
      const content = repo?.commitFiles(req.params.ref!)?.get(req.params.path!);
      return content ? bytes(content, "text/plain; charset=utf-8") : text(404, "404: Not Found");
    });

    r.get(
      R,
      api((repo) => json(200, this.repoJson(repo))),
    );

    // Issues
    r.get(
      `${R}/issues`,
      api((repo, req) => {
        const state = req.query.get("state") ?? "open";
        const labels = (req.query.get("labels") ?? "")
          .split(",")
          .map((l) => l.trim())
          .filter(Boolean);
        const since = req.query.get("since");
        const sort = req.query.get("sort") ?? "created";
        const direction = req.query.get("direction") ?? "desc";
        const items = repo.issues
          .filter((i) => state === "all" || i.state === state)
          .filter((i) => labels.every((l) => i.labels.some((x) => x.toLowerCase() === l.toLowerCase())))
          .filter((i) => !since || i.updatedAt >= Date.parse(since))
          .sort((a, b) => {
            const key = sort === "updated" ? a.updatedAt - b.updatedAt : a.createdAt - b.createdAt;
            const tie = key !== 0 ? key : a.number - b.number;
            return direction === "asc" ? tie : -tie;
          });
        const { page, headers } = paginate(req, items);
        return json(
          200,
          page.map((i) => this.issueJson(repo, i)),
          headers,
        );
      }),
    );
    r.add(
      "POST",
      `${R}/issues`,
      api((repo, req) => {
        const body = parse(req);
        if (!body) return badJson();
        if (typeof body.title !== "string" || !body.title) return validationFailed("Issue", "title");
        const labels = Array.isArray(body.labels)
          ? body.labels.map((l) => (typeof l === "string" ? l : String((l as { name?: unknown }).name)))
          : [];
        const issue = repo.addIssue({
          title: body.title,
          ...(typeof body.body === "string" ? { body: body.body } : {}),
          labels,
        });
        return json(201, this.issueJson(repo, issue), {
          location: `${this.server.url}/repos/${repo.fullName}/issues/${issue.number}`,
        });
      }),
    );
    r.get(
      `${R}/issues/:number`,
      api((repo, req) => {
        const issue = repo.issues.find((i) => String(i.number) === req.params.number);
        return issue ? json(200, this.issueJson(repo, issue)) : notFound();
      }),
    );
    r.add(
      "PATCH",
      `${R}/issues/:number`,
      api((repo, req) => {
        const issue = repo.issues.find((i) => String(i.number) === req.params.number);
        if (!issue) return notFound();
        const body = parse(req);
        if (!body) return badJson();
        if (body.state !== undefined && body.state !== "open" && body.state !== "closed")
          return validationFailed("Issue", "state", "invalid");
        if (typeof body.title === "string") issue.title = body.title;
        if (body.body !== undefined) issue.body = typeof body.body === "string" ? body.body : null;
        if (Array.isArray(body.labels)) issue.labels = body.labels.map(String);
        if (body.state === "closed" && issue.state !== "closed") {
          issue.state = "closed";
          issue.closedAt = Date.now();
          issue.stateReason = typeof body.state_reason === "string" ? body.state_reason : "completed";
        } else if (body.state === "open" && issue.state !== "open") {
          issue.state = "open";
          issue.closedAt = null;
          issue.stateReason = "reopened";
        }
        issue.updatedAt = Date.now();
        return json(200, this.issueJson(repo, issue));
      }),
    );
    r.get(
      `${R}/issues/:number/comments`,
      api((repo, req) => {
        const issue = repo.issues.find((i) => String(i.number) === req.params.number);
        if (!issue) return notFound();
        const { page, headers } = paginate(req, issue.comments);
        return json(
          200,
          page.map((c) => this.commentJson(repo, issue, c)),
          headers,
        );
      }),
    );
    r.add(
      "POST",
      `${R}/issues/:number/comments`,
      api((repo, req) => {
        const issue = repo.issues.find((i) => String(i.number) === req.params.number);
        if (!issue) return notFound();
        const body = parse(req);
        if (!body) return badJson();
        if (typeof body.body !== "string" || !body.body) return validationFailed("IssueComment", "body");
        const comment = { id: this.ids.next("comment"), body: body.body, createdAt: Date.now() };
        issue.comments.push(comment);
        issue.updatedAt = comment.createdAt;
        return json(201, this.commentJson(repo, issue, comment));
      }),
    );

    // Workflows and runs
    r.get(
      `${R}/actions/workflows`,
      api((repo, req) => {
        const { page, headers } = paginate(req, repo.workflows);
        return json(
          200,
          { total_count: repo.workflows.length, workflows: page.map((w) => this.workflowJson(repo, w)) },
          headers,
        );
      }),
    );
    r.get(
      `${R}/actions/workflows/:workflow`,
      api((repo, req) => {
        const wf = repo.workflow(req.params.workflow!);
        return wf ? json(200, this.workflowJson(repo, wf)) : notFound();
      }),
    );
    for (const action of ["enable", "disable"] as const) {
      r.add(
        "PUT",
        `${R}/actions/workflows/:workflow/${action}`,
        api((repo, req) => {
          const wf = repo.workflow(req.params.workflow!);
          if (!wf) return notFound();
          wf.state = action === "enable" ? "active" : "disabled_manually";
          return { status: 204 };
        }),
      );
    }
    const listRuns = (repo: FakeRepo, req: LoopbackRequest, workflowId: number | null) => {
      const q = req.query;
      const status = q.get("status");
      const created = q.get("created");
      const runs = repo.runs
        .filter((run) => repo.visible(run))
        .filter((run) => workflowId === null || run.workflowId === workflowId)
        .filter((run) => !q.get("event") || run.event === q.get("event"))
        .filter((run) => !q.get("branch") || run.headBranch === q.get("branch"))
        .filter((run) => !q.get("head_sha") || run.headSha === q.get("head_sha"))
        .filter((run) => !q.get("actor") || run.actor === q.get("actor"))
        .filter((run) => !created || createdMatches(created, run.createdAt))
        .filter((run) => {
          if (!status) return true;
          const s = repo.state(run);
          return RUN_STATUSES.has(status) ? s.status === status : s.conclusion === status;
        })
        .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
      const { page, headers } = paginate(req, runs);
      const body = { total_count: runs.length, workflow_runs: page.map((run) => this.runJson(repo, run)) };
      for (const run of page) run.polls++;
      return json(200, body, headers);
    };
    r.get(
      `${R}/actions/workflows/:workflow/runs`,
      api((repo, req) => {
        const wf = repo.workflow(req.params.workflow!);
        return wf ? listRuns(repo, req, wf.id) : notFound();
      }),
    );
    r.get(
      `${R}/actions/runs`,
      api((repo, req) => listRuns(repo, req, null)),
    );
    r.add(
      "POST",
      `${R}/actions/workflows/:workflow/dispatches`,
      api((repo, req) => {
        const wf = repo.workflow(req.params.workflow!);
        if (!wf) return notFound();
        const body = parse(req);
        if (!body) return badJson();
        if (typeof body.ref !== "string" || !body.ref)
          return error(422, `Invalid request.\n\n"ref" wasn't supplied.`);
        if (wf.state !== "active")
          return error(422, "Cannot trigger a 'workflow_dispatch' on a disabled workflow");
        if (wf.dispatch === false) return error(422, "Workflow does not have 'workflow_dispatch' trigger");
        const inputs = (body.inputs ?? {}) as Record<string, unknown>;
        if (typeof inputs !== "object" || Array.isArray(inputs))
          return error(422, "Invalid request.\n\nFor 'properties/inputs', it is not an object.");
        const declared = wf.dispatch.inputs;
        if (declared) {
          const unexpected = Object.keys(inputs).filter((k) => !declared.includes(k));
          if (unexpected.length)
            return error(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
        }
        const outcome = repo.dispatch(wf, body.ref, inputs);
        if (!("workflowId" in outcome)) return outcome;
        if (body.return_run_details === true && repo.returnRunDetails) {
          return json(200, {
            workflow_run_id: outcome.id,
            run_url: `${this.server.url}/repos/${repo.fullName}/actions/runs/${outcome.id}`,
            html_url: `${this.server.url}/${repo.fullName}/actions/runs/${outcome.id}`,
          });
        }
        return { status: 204 };
      }),
    );
    r.get(
      `${R}/actions/runs/:run`,
      api((repo, req) => {
        const run = findRun(repo, req.params.run!);
        if (!run) return notFound();
        const body = this.runJson(repo, run);
        run.polls++;
        return json(200, body);
      }),
    );
    r.get(
      `${R}/actions/runs/:run/jobs`,
      api((repo, req) => {
        const run = findRun(repo, req.params.run!);
        if (!run) return notFound();
        const { page, headers } = paginate(req, run.jobs);
        return json(
          200,
          { total_count: run.jobs.length, jobs: page.map((j) => this.jobJson(repo, run, j)) },
          headers,
        );
      }),
    );
    r.get(
      `${R}/actions/runs/:run/logs`,
      api((repo, req) => {
        const run = findRun(repo, req.params.run!);
        if (!run || !repo.state(run).done) return notFound();
        const files: FileMap = {};
        run.jobs.forEach((j, i) => {
          if (j.log !== undefined) files[`${i}_${j.name}.txt`] = j.log;
        });
        return redirect(this.blob(`runlogs-${run.id}`, () => zipFiles(files), "application/zip"));
      }),
    );
    r.get(
      `${R}/actions/jobs/:job`,
      api((repo, req) => {
        for (const run of repo.runs.filter((x) => repo.visible(x))) {
          const job = run.jobs.find((j) => String(j.id) === req.params.job);
          if (job) return json(200, this.jobJson(repo, run, job));
        }
        return notFound();
      }),
    );
    r.get(
      `${R}/actions/jobs/:job/logs`,
      api((repo, req) => {
        for (const run of repo.runs.filter((x) => repo.visible(x))) {
          const job = run.jobs.find((j) => String(j.id) === req.params.job);
          if (!job) continue;
          if (job.log === undefined || !repo.state(run).done) return notFound();
          const log = job.log;
          return redirect(
            this.blob(`joblog-${job.id}`, async () => Buffer.from(log), "text/plain; charset=utf-8"),
          );
        }
        return notFound();
      }),
    );
    r.get(
      `${R}/actions/runs/:run/artifacts`,
      api(async (repo, req) => {
        const run = findRun(repo, req.params.run!);
        if (!run) return notFound();
        const name = req.query.get("name");
        const listed = repo.state(run).done ? run.artifacts.filter((a) => !name || a.name === name) : [];
        const { page, headers } = paginate(req, listed);
        return json(
          200,
          {
            total_count: listed.length,
            artifacts: await Promise.all(page.map((a) => this.artifactJson(repo, run, a))),
          },
          headers,
        );
      }),
    );
    const findArtifact = (repo: FakeRepo, id: string) => {
      for (const run of repo.runs) {
        if (!repo.visible(run) || !repo.state(run).done) continue;
        const artifact = run.artifacts.find((a) => String(a.id) === id);
        if (artifact) return { run, artifact };
      }
      return null;
    };
    r.get(
      `${R}/actions/artifacts`,
      api(async (repo, req) => {
        const name = req.query.get("name");
        const all = repo.runs
          .filter((run) => repo.visible(run) && repo.state(run).done)
          .flatMap((run) => run.artifacts.map((artifact) => ({ run, artifact })))
          .filter(({ artifact }) => !name || artifact.name === name)
          .reverse();
        const { page, headers } = paginate(req, all);
        return json(
          200,
          {
            total_count: all.length,
            artifacts: await Promise.all(
              page.map(({ run, artifact }) => this.artifactJson(repo, run, artifact)),
            ),
          },
          headers,
        );
      }),
    );
    r.get(
      `${R}/actions/artifacts/:artifact`,
      api(async (repo, req) => {
        const found = findArtifact(repo, req.params.artifact!);
        return found ? json(200, await this.artifactJson(repo, found.run, found.artifact)) : notFound();
      }),
    );
    r.get(
      `${R}/actions/artifacts/:artifact/:format`,
      api((repo, req) => {
        const found = findArtifact(repo, req.params.artifact!);
        if (!found || req.params.format !== "zip") return notFound();
        if (found.artifact.expired) return error(410, "Artifact has expired");
        const { artifact } = found;
        return redirect(this.blob(`artifact-${artifact.id}`, () => artifact.zip, "application/zip"));
      }),
    );

    // Secrets (names only, as GitHub never returns values)
    r.get(
      `${R}/actions/secrets`,
      api((repo, req) => {
        const names = [...repo.secrets.keys()].sort(sortedByName);
        const { page, headers } = paginate(req, names);
        return json(
          200,
          {
            total_count: names.length,
            secrets: page.map((name) => ({
              name,
              created_at: iso(repo.secrets.get(name)!),
              updated_at: iso(repo.secrets.get(name)!),
            })),
          },
          headers,
        );
      }),
    );
    r.get(
      `${R}/actions/secrets/:name`,
      api((repo, req) => {
        const at = repo.secrets.get(req.params.name!);
        return at === undefined
          ? notFound()
          : json(200, { name: req.params.name, created_at: iso(at), updated_at: iso(at) });
      }),
    );

    // Git refs and tag objects
    r.get(
      `${R}/git/ref/*ref`,
      api((repo, req) => {
        const name = req.params.ref!;
        const target = repo.getRef(name);
        return target ? json(200, this.refJson(repo, name, target)) : notFound();
      }),
    );
    r.get(
      `${R}/git/matching-refs/*ref`,
      api((repo, req) => {
        const prefix = req.params.ref!;
        const refs = repo.refEntries().filter(([name]) => name.startsWith(prefix));
        const { page, headers } = paginate(req, refs);
        return json(
          200,
          page.map(([name, target]) => this.refJson(repo, name, target)),
          headers,
        );
      }),
    );
    r.add(
      "POST",
      `${R}/git/refs`,
      api((repo, req) => {
        const body = parse(req);
        if (!body) return badJson();
        if (typeof body.ref !== "string" || !/^refs\/[^/]+\/.+/.test(body.ref))
          return error(422, "Reference name must start with 'refs/' and have at least two slashes.");
        if (typeof body.sha !== "string") return validationFailed("Reference", "sha");
        const name = body.ref.replace(/^refs\//, "");
        if (!repo.createRef(name, body.sha)) return error(422, "Reference already exists");
        return json(201, this.refJson(repo, name, repo.getRef(name)!));
      }),
    );
    r.get(
      `${R}/git/tags/:sha`,
      api((repo, req) => {
        const tag = repo.tagObject(req.params.sha!);
        if (!tag) return notFound();
        const api = `${this.server.url}/repos/${repo.fullName}`;
        return json(200, {
          node_id: `TAG_${tag.sha.slice(0, 16)}`,
          tag: tag.tag,
          sha: tag.sha,
          url: `${api}/git/tags/${tag.sha}`,
          message: tag.message,
          tagger: tag.tagger,
          object: { ...tag.object, url: `${api}/git/commits/${tag.object.sha}` },
          verification: {
            verified: false,
            reason: "unsigned",
            signature: null,
            payload: null,
            verified_at: null,
          },
        });
      }),
    );

    // Check runs for a commit (ref may be a sha, branch or tag, and a branch may hold slashes)
    r.get(
      /^\/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/commits\/(?<ref>.+)\/check-runs$/,
      api((repo, req) => {
        const sha =
          repo.commitSha(req.params.ref!) ??
          (/^[0-9a-f]{40}$/.test(req.params.ref!) ? req.params.ref! : null);
        if (!sha) return error(422, `No commit found for SHA: ${req.params.ref}`);
        const name = req.query.get("check_name");
        const status = req.query.get("status");
        const runs = repo.checkRuns
          .filter((c) => c.headSha === sha)
          .filter((c) => !name || c.name === name)
          .filter((c) => !status || (c.status ?? "completed") === status)
          .sort((a, b) => b.id - a.id);
        const { page, headers } = paginate(req, runs);
        const base = this.server.url;
        return json(
          200,
          {
            total_count: runs.length,
            check_runs: page.map((c) => {
              const done = (c.status ?? "completed") === "completed";
              return {
                id: c.id,
                head_sha: c.headSha,
                node_id: `CR_${c.id}`,
                external_id: "",
                url: `${base}/repos/${repo.fullName}/check-runs/${c.id}`,
                html_url: `${base}/${repo.fullName}/runs/${c.id}`,
                details_url: c.detailsUrl ?? `${base}/${repo.fullName}/runs/${c.id}`,
                status: c.status ?? "completed",
                conclusion: done ? (c.conclusion ?? "success") : null,
                started_at: iso(c.at),
                completed_at: done ? iso(c.at) : null,
                output: {
                  title: null,
                  summary: null,
                  text: null,
                  annotations_count: 0,
                  annotations_url: `${base}/repos/${repo.fullName}/check-runs/${c.id}/annotations`,
                },
                name: c.name,
                check_suite: { id: c.id + 1 },
                app: {
                  id: 15368,
                  slug: "github-actions",
                  name: "GitHub Actions",
                  owner: simpleUser(base, BOT),
                },
                pull_requests: [],
              };
            }),
          },
          headers,
        );
      }),
    );

    // Releases
    r.get(
      `${R}/releases`,
      api((repo, req) => {
        const all = [...repo.releases].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
        const { page, headers } = paginate(req, all);
        return json(
          200,
          page.map((x) => this.releaseJson(repo, x)),
          headers,
        );
      }),
    );
    r.get(
      `${R}/releases/latest`,
      api((repo) => {
        const latest = [...repo.releases]
          .filter((x) => !x.draft && !x.prerelease)
          .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)[0];
        return latest ? json(200, this.releaseJson(repo, latest)) : notFound();
      }),
    );
    // Only published releases are found by tag: a draft is not attached to its tag yet.
    r.get(
      `${R}/releases/tags/*tag`,
      api((repo, req) => {
        const rel = repo.releases.find((x) => x.tag === req.params.tag && !x.draft);
        return rel ? json(200, this.releaseJson(repo, rel)) : notFound();
      }),
    );
    r.get(
      `${R}/releases/assets/:asset`,
      api((repo, req) => {
        for (const rel of repo.releases) {
          const asset = rel.assets.find((a) => String(a.id) === req.params.asset);
          if (!asset) continue;
          if ((req.headers.accept ?? "").includes("application/octet-stream"))
            return redirect(
              this.blob(`asset-${asset.id}`, async () => asset.content, "application/octet-stream"),
            );
          return json(
            200,
            this.releaseJson(repo, rel).assets.find((a) => a.id === asset.id),
          );
        }
        return notFound();
      }),
    );
    r.get(
      `${R}/releases/:release`,
      api((repo, req) => {
        const rel = repo.releases.find((x) => String(x.id) === req.params.release);
        return rel ? json(200, this.releaseJson(repo, rel)) : notFound();
      }),
    );

    // Repository contents
    const getContents = (repo: FakeRepo, req: LoopbackRequest, path: string) => {
      const ref = req.query.get("ref") ?? repo.defaultBranch;
      const files = repo.commitFiles(ref);
      if (!files) return error(404, `No commit found for the ref ${ref}`);
      const file = files.get(path);
      if (file) {
        const b64 = file.toString("base64");
        return json(200, {
          ...this.fileJson(repo, path, file, ref),
          encoding: "base64",
          // GitHub wraps the base64 text at 60 characters.
          content: `${b64.replace(/(.{60})/g, "$1\n")}\n`,
        });
      }
      const prefix = path ? `${path}/` : "";
      const children = new Map<string, Buffer | null>();
      for (const [p, content] of files) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const slash = rest.indexOf("/");
        if (slash === -1) children.set(prefix + rest, content);
        else children.set(prefix + rest.slice(0, slash), null);
      }
      if (!children.size) return notFound();
      return json(
        200,
        [...children.entries()]
          .sort(([a], [b]) => sortedByName(a, b))
          .map(([p, content]) => this.fileJson(repo, p, content, ref)),
      );
    };
    r.get(
      `${R}/contents`,
      api((repo, req) => getContents(repo, req, "")),
    );
    r.get(
      `${R}/contents/*path`,
      api((repo, req) => getContents(repo, req, req.params.path!.replace(/\/+$/, ""))),
    );
    r.add(
      "PUT",
      `${R}/contents/*path`,
      api((repo, req) => {
        const path = req.params.path!;
        const body = parse(req);
        if (!body) return badJson();
        if (typeof body.message !== "string")
          return error(422, `Invalid request.\n\n"message" wasn't supplied.`);
        if (typeof body.content !== "string")
          return error(422, `Invalid request.\n\n"content" wasn't supplied.`);
        const branch = typeof body.branch === "string" ? body.branch : repo.defaultBranch;
        if (!repo.getRef(`heads/${branch}`)) return error(404, `Branch ${branch} not found`);
        const existing = repo.commitFiles(branch)?.get(path);
        if (existing) {
          if (typeof body.sha !== "string") return error(422, `Invalid request.\n\n"sha" wasn't supplied.`);
          if (body.sha !== gitBlobSha(existing)) return error(409, `${path} does not match ${body.sha}`);
        }
        const content = Buffer.from(body.content, "base64");
        const { created, commit } = repo.contentWrite(path, content, body.message, branch);
        const base = this.server.url;
        const person = { name: "octocat", email: "octocat@example.invalid", date: iso(commit.at) };
        return json(created ? 201 : 200, {
          content: this.fileJson(repo, path, content, branch),
          commit: {
            sha: commit.sha,
            node_id: `C_${commit.sha.slice(0, 16)}`,
            url: `${base}/repos/${repo.fullName}/git/commits/${commit.sha}`,
            html_url: `${base}/${repo.fullName}/commit/${commit.sha}`,
            author: person,
            committer: person,
            message: commit.message,
            tree: { sha: commit.treeSha, url: `${base}/repos/${repo.fullName}/git/trees/${commit.treeSha}` },
            parents: commit.parents.map((sha) => ({
              sha,
              url: `${base}/repos/${repo.fullName}/git/commits/${sha}`,
              html_url: `${base}/${repo.fullName}/commit/${sha}`,
            })),
            verification: {
              verified: false,
              reason: "unsigned",
              signature: null,
              payload: null,
              verified_at: null,
            },
          },
        });
      }),
    );

    return r;
  }

  private commentJson(repo: FakeRepo, issue: FakeIssue, c: { id: number; body: string; createdAt: number }) {
    const base = this.server.url;
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${base}/repos/${repo.fullName}/issues/comments/${c.id}`,
      html_url: `${base}/${repo.fullName}/issues/${issue.number}#issuecomment-${c.id}`,
      issue_url: `${base}/repos/${repo.fullName}/issues/${issue.number}`,
      body: c.body,
      user: simpleUser(base, USER),
      created_at: iso(c.createdAt),
      updated_at: iso(c.createdAt),
      author_association: "OWNER",
    };
  }
}

/** Starts a GitHub stand-in on 127.0.0.1. */
export function startGitHubStandIn(options: GitHubStandInOptions): Promise<GitHubStandIn> {
  return GitHubStandIn.start(options);
}
