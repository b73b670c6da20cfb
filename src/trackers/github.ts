// Tracker `github`: GitHub Issues. The epic and its tasks carry the release-blocker label; each task
// says which epic it belongs to, and the epic lists its tasks as a task list.
import * as z from "zod";
import { repoSlugSchema } from "../config/base.js";
import { IncompleteError } from "../errors.js";
import { parseAnswer } from "../github/artifacts.js";
import { type GitHubTarget, github, githubFor } from "../github/client.js";
import { commonTrackerFields } from "./common.js";
import { defineTracker, type Tracker, type TrackerEpic, type TrackerTask } from "./types.js";

// Only what is used is required; every answer is parsed before use, so no id or URL is ever undefined.
const issueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().optional(),
  state: z.enum(["open", "closed"]),
  html_url: z.string().min(1),
  pull_request: z.unknown().optional(),
});
type Issue = z.infer<typeof issueSchema>;

const epicMarker = (epicId: string) => `Part of #${epicId}`;
/** Whether `body` names epic `epicId` exactly: "Part of #1" must not match "Part of #12". */
export function belongsToEpic(body: string, epicId: string): boolean {
  return new RegExp(`(?:^|\\s)${epicMarker(epicId)}(?!\\d)`, "m").test(body);
}

export class GitHubTracker implements Tracker {
  readonly kind = "github";
  readonly remote = true;

  constructor(
    private readonly gh: GitHubTarget,
    readonly label: string,
  ) {}

  private async labelled(): Promise<Issue[]> {
    const { octokit, owner, repo } = this.gh;
    const what = `GET issues labelled ${this.label}`;
    const answer = await github(what, () =>
      octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        labels: this.label,
        state: "all",
        per_page: 100,
      }),
    );
    const issues: Issue[] = parseAnswer(z.array(issueSchema), answer, what);
    return issues.filter((i) => !i.pull_request);
  }

  async findEpic(title: string): Promise<TrackerEpic | null> {
    const epic = (await this.labelled()).find((i) => i.title === title);
    return epic ? { id: String(epic.number), title, url: epic.html_url } : null;
  }

  async createEpic(title: string, body: string): Promise<TrackerEpic> {
    const { octokit, owner, repo } = this.gh;
    const what = "POST the blocker epic";
    const { data } = await github(what, () =>
      octokit.rest.issues.create({ owner, repo, title, body, labels: [this.label] }),
    );
    const created = parseAnswer(issueSchema, data, what);
    return { id: String(created.number), title, url: created.html_url };
  }

  async listTasks(epicId: string): Promise<TrackerTask[]> {
    return (await this.labelled())
      .filter((i) => belongsToEpic(i.body ?? "", epicId))
      .map((i) => ({
        id: String(i.number),
        title: i.title,
        state: i.state,
        open: i.state === "open",
        url: i.html_url,
      }));
  }

  async createTask(epicId: string, title: string, body: string): Promise<TrackerTask> {
    const { octokit, owner, repo } = this.gh;
    const what = "POST a blocker task";
    const { data: answer } = await github(what, () =>
      octokit.rest.issues.create({
        owner,
        repo,
        title,
        body: `${body}\n\n${epicMarker(epicId)}\n`,
        labels: [this.label],
      }),
    );
    const data = parseAnswer(issueSchema, answer, what);
    const issue_number = Number(epicId);
    const epicWhat = `GET epic #${epicId}`;
    const epic = parseAnswer(
      issueSchema,
      (await github(epicWhat, () => octokit.rest.issues.get({ owner, repo, issue_number }))).data,
      epicWhat,
    );
    const list = `- [ ] #${data.number} ${title}`;
    await github(`PATCH epic #${epicId}`, () =>
      octokit.rest.issues.update({
        owner,
        repo,
        issue_number,
        body: `${(epic.body ?? "").trimEnd()}\n${list}\n`,
      }),
    );
    return { id: String(data.number), title, state: "open", open: true, url: data.html_url };
  }

  async closeTask(id: string): Promise<void> {
    const { octokit, owner, repo } = this.gh;
    const what = `PATCH #${id} closed`;
    const { data } = await github(what, () =>
      octokit.rest.issues.update({ owner, repo, issue_number: Number(id), state: "closed" }),
    );
    // The answer must show the issue closed: a 200 that says anything else closed nothing we can vouch for.
    const closed = parseAnswer(issueSchema, data, what);
    if (closed.number !== Number(id) || closed.state !== "closed")
      throw new IncompleteError(`GitHub answered ${what} with issue #${closed.number} ${closed.state}`);
  }
}

export const githubTracker = defineTracker({
  kind: "github",
  schema: z.strictObject({
    kind: z.literal("github"),
    repo: repoSlugSchema.optional().meta({ description: "default: github.repo, else the origin remote" }),
    apiUrl: z.string().url().optional(),
    label: z.string().min(1).default("release-blocker"),
    ...commonTrackerFields,
  }),
  create: async (entry, { config, repoRoot }) =>
    new GitHubTracker(
      await githubFor(config.github, repoRoot, { repo: entry.repo, apiUrl: entry.apiUrl }),
      entry.label,
    ),
});
