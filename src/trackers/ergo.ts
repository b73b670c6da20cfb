// Tracker `ergo`: drives the ergo CLI through its JSON contract (one JSON value on stdout, or an error).
import * as z from "zod";
import { IncompleteError, UsageError } from "../errors.js";
import { redact } from "../evidence/redact.js";
import { commonTrackerFields } from "./common.js";
import { defineTracker, type Tracker, type TrackerEpic, type TrackerTask } from "./types.js";

const CLOSED_STATES = new Set(["done", "canceled"]);
const ERGO_TIMEOUT_MS = 60_000;

/** Each ergo call's limit: 60 s, or SHIPGATE_ERGO_TIMEOUT_MS (a positive number of milliseconds). */
function ergoTimeoutMs(): number {
  const n = Number(process.env.SHIPGATE_ERGO_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : ERGO_TIMEOUT_MS;
}

// ergo's JSON contract: ids are strings or numbers; a task's state is one of the documented words.
const idSchema = z.union([z.string().min(1), z.number()]).transform(String);
const itemSchema = z.object({ id: idSchema, title: z.string().optional() });
const taskSchema = itemSchema.extend({
  state: z.enum(["todo", "doing", "done", "blocked", "canceled", "error"]).optional(),
});

export class ErgoTracker implements Tracker {
  readonly kind = "ergo";
  readonly remote = false;

  constructor(
    readonly command: string,
    readonly cwd: string,
  ) {}

  /** Runs `ergo --json …`; anything but exit 0 with exactly one JSON value is incomplete. */
  private async ergo(args: string[], input?: unknown): Promise<unknown> {
    const shown = `${this.command} --json ${args.join(" ")}`;
    // Loaded on first use: the config registry imports this adapter, and most commands never run ergo.
    const { execa } = await import("execa");
    const result = await execa(this.command, ["--json", ...args], {
      cwd: this.cwd,
      input: input === undefined ? "" : JSON.stringify(input),
      reject: false,
      timeout: ergoTimeoutMs(),
      encoding: "utf8",
    });
    if ((result as { code?: string }).code === "ENOENT") {
      throw new IncompleteError(
        `${this.command} is not installed or not on PATH`,
        "install ergo, or set tracker.command (or tracker.kind: local)",
      );
    }
    if (result.timedOut) throw new IncompleteError(`\`${shown}\` timed out after ${ergoTimeoutMs() / 1000}s`);
    const stderr = redact(String(result.stderr ?? "").trim()).slice(0, 500);
    if (result.exitCode !== 0) {
      throw new IncompleteError(
        `\`${shown}\` exited ${result.exitCode ?? result.signal}: ${stderr || "(no message)"}`,
      );
    }
    const stdout = String(result.stdout ?? "").trim();
    try {
      // JSON.parse rejects empty output and two concatenated values alike.
      return JSON.parse(stdout);
    } catch {
      throw new IncompleteError(
        `\`${shown}\` did not print exactly one JSON value: ${redact(stdout).slice(0, 200) || "(empty)"}`,
      );
    }
  }

  /** Parses ergo's answer; anything else than the contract's shape is incomplete, naming the command. */
  private static parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue?.path.length ? issue.path.join(".") : "(top level)";
      throw new IncompleteError(
        `ergo answered \`${what}\` outside its JSON contract: ${at}: ${issue?.message}`,
      );
    }
    return parsed.data;
  }

  async findEpic(title: string): Promise<TrackerEpic | null> {
    const epics = ErgoTracker.parse(
      z.array(itemSchema),
      await this.ergo(["list", "--epics"]),
      "list --epics",
    );
    const epic = epics.find((e) => e.title === title);
    return epic ? { id: epic.id, title } : null;
  }

  async createEpic(title: string, body: string): Promise<TrackerEpic> {
    const { id } = ErgoTracker.parse(
      itemSchema,
      await this.ergo(["new", "epic"], { title, body }),
      "new epic",
    );
    return { id, title };
  }

  async listTasks(epicId: string): Promise<TrackerTask[]> {
    const what = `list --epic ${epicId}`;
    const tasks = ErgoTracker.parse(z.array(taskSchema), await this.ergo(["list", "--epic", epicId]), what);
    return tasks.map((t) => {
      const state = t.state ?? "todo";
      return { id: t.id, title: t.title ?? "", state, open: !CLOSED_STATES.has(state) };
    });
  }

  async createTask(epicId: string, title: string, body: string): Promise<TrackerTask> {
    const answer = await this.ergo(["new", "task"], { title, body, epic: epicId });
    const { id } = ErgoTracker.parse(itemSchema, answer, "new task");
    return { id, title, state: "todo", open: true };
  }

  async closeTask(id: string): Promise<void> {
    if (!/^[\w.-]+$/.test(id)) throw new UsageError(`"${id}" is not an ergo id`);
    await this.ergo(["set", id], { state: "done" });
  }
}

export const ergoTracker = defineTracker({
  kind: "ergo",
  schema: z.strictObject({
    kind: z.literal("ergo"),
    command: z.string().min(1).default("ergo").meta({ description: "the ergo executable" }),
    ...commonTrackerFields,
  }),
  create: async (entry, { repoRoot }) => new ErgoTracker(entry.command, repoRoot),
});
