// Progress while gates run on a TTY: listr2's live list with spinners, driven by the engine's events.
import { Listr, type ListrTaskWrapper } from "listr2";
import type { GateConfig } from "../config/schema.js";
import { type GateReporter, type GateResult, gateName } from "./engine.js";
import { seconds } from "./progress.js";

interface Pending {
  task?: ListrTaskWrapper<unknown, never, never>;
  /** A result that arrived before listr2 started the task (skipped and cached gates finish at once). */
  early?: GateResult;
  /** The engine started the gate before listr2 started the task. */
  running?: boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  promise: Promise<void>;
}

/** listr2's default renderer, driven by the engine's events rather than owning the scheduling. */
export class TtyReporter implements GateReporter {
  private readonly pending = new Map<string, Pending>();
  private readonly list: Listr;
  private readonly done: Promise<unknown>;

  constructor(gates: GateConfig[]) {
    // A pseudo-terminal may report a 0x0 size (script(1), some CI runners): listr2 would then wrap after
    // every character and log-update would cut every frame to nothing. Use 80x24, as for a terminal
    // that reports no size at all.
    if (!process.stdout.columns) process.stdout.columns = 80;
    if (!process.stdout.rows) process.stdout.rows = 24;
    for (const gate of gates) {
      let resolve!: () => void;
      let reject!: (err: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.pending.set(gate.id, { resolve, reject, promise });
    }
    this.list = new Listr(
      gates.map((gate) => ({
        title: `${gateName(gate)} (queued)`,
        task: (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
          const entry = this.pending.get(gate.id) as Pending;
          entry.task = task;
          if (entry.early) this.apply(gate, entry, entry.early);
          else if (entry.running) task.title = `${gateName(gate)} (running)`;
          return entry.promise;
        },
      })),
      {
        concurrent: true,
        exitOnError: false,
        renderer: "default",
        rendererOptions: { collapseErrors: false },
      },
    );
    this.done = this.list.run().catch(() => undefined);
  }

  start(gate: GateConfig): void {
    const entry = this.pending.get(gate.id);
    if (!entry) return;
    entry.running = true;
    if (entry.task) entry.task.title = `${gateName(gate)} (running)`;
  }

  finish(gate: GateConfig, result: GateResult): void {
    const entry = this.pending.get(gate.id);
    if (!entry) return;
    if (entry.task) this.apply(gate, entry, result);
    else entry.early = result;
  }

  private apply(gate: GateConfig, entry: Pending, result: GateResult): void {
    if (entry.task)
      entry.task.title = `${gateName(gate)}: ${result.summary} [${result.cached ? "cached" : seconds(result.durationMs)}]`;
    if (result.status === "pass") entry.resolve();
    else if (result.status === "skipped") {
      entry.task?.skip(`${gateName(gate)}: ${result.summary}`);
      entry.resolve();
    } else entry.reject(new Error(`${result.status}: ${result.summary}`));
  }

  async close(): Promise<void> {
    await this.done;
  }
}
