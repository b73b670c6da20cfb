// allInOrder: concurrent checks fail with the error the first of them (in order) raised, whatever the
// timing, and only after every check has finished.
import { describe, expect, it } from "vitest";
import { allInOrder, IncompleteError, UsageError } from "../src/errors.js";

const resolveAfter = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number, err: Error) =>
  new Promise<never>((_resolve, reject) => setTimeout(() => reject(err), ms));

describe("allInOrder", () => {
  it("gives the values in the given order", async () => {
    await expect(
      allInOrder([resolveAfter(20, "a"), resolveAfter(1, 2), Promise.resolve(null)]),
    ).resolves.toEqual(["a", 2, null]);
  });

  it("throws the first failure in order, not the first to happen, once every check is done", async () => {
    let lastDone = false;
    const first = new IncompleteError("the tracker cannot be asked");
    const attempt = allInOrder([
      resolveAfter(5, "ok"),
      failAfter(40, first),
      failAfter(1, new UsageError("a later check failed sooner")),
      resolveAfter(60, "slow").then((v) => {
        lastDone = true;
        return v;
      }),
    ]);
    await expect(attempt).rejects.toBe(first);
    expect(lastDone).toBe(true);
  });
});
