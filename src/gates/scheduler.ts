// Concurrency for the gate engine: a dependency order for `after`, and a counting semaphore for --jobs.
import os from "node:os";

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism());
}

/** Items ordered so that every `after` dependency comes before its dependant (cycles are refused at load). */
export function dependencyOrder<T extends { id: string; after: string[] }>(items: T[]): T[] {
  const byId = new Map(items.map((g) => [g.id, g]));
  const seen = new Set<string>();
  const order: T[] = [];
  const visit = (item: T) => {
    if (seen.has(item.id)) return;
    seen.add(item.id);
    for (const dep of item.after) {
      const found = byId.get(dep);
      if (found) visit(found);
    }
    order.push(item);
  };
  for (const item of items) visit(item);
  return order;
}

/** Counting semaphore for --jobs. */
export class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
