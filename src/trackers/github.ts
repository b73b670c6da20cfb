// Tracker `github`: GitHub Issues. The epic and its tasks carry the release-blocker label; each task
// says which epic it belongs to, and the epic lists its tasks as a task list.
import { z } from "zod";
import { repoSlugSchema } from "../config/base.js";
import { type GitHubTarget, github, githubFor } from "../github/client.js";
import { commonTrackerFields } from "./common.js";
import { defineTracker, type Tracker, type TrackerEpic, type TrackerTask } from "./types.js";

interface Issue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  pull_request?: unknown;
}

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
    const issues = (await github(`GET issues labelled ${this.label}`, () =>
      octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        labels: this.label,
        state: "all",
        per_page: 100,
      }),
    )) as Issue[];
    return issues.filter((i) => !i.pull_request);
  }

  async findEpic(title: string): Promise<TrackerEpic | null> {
    const epic = (await this.labelled()).find((i) => i.title === title);
    return epic ? { id: String(epic.number), title, url: epic.html_url } : null;
  }

  async createEpic(title: string, body: string): Promise<TrackerEpic> {
    const { octokit, owner, repo } = this.gh;
    const { data } = await github("POST the blocker epic", () =>
      octokit.rest.issues.create({ owner, repo, title, body, labels: [this.label] }),
    );
    return { id: String(data.number), title, url: data.html_url };
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
    const { data } = await github("POST a blocker task", () =>
      octokit.rest.issues.create({
        owner,
        repo,
        title,
        body: `${body}\n\n${epicMarker(epicId)}\n`,
        labels: [this.label],
      }),
    );
    const issue_number = Number(epicId);
    const { data: epic } = await github(`GET epic #${epicId}`, () =>
      octokit.rest.issues.get({ owner, repo, issue_number }),
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
    await github(`PATCH #${id} closed`, () =>
      octokit.rest.issues.update({ owner, repo, issue_number: Number(id), state: "closed" }),
    );
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
