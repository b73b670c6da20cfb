// What one invocation remembers: answers (never failures), within the invocation only, bytes within the
// limit and only when final, and one download shared by callers asking for the same bytes meanwhile.
import { describe, expect, it } from "vitest";
import { remembered, rememberedBytes, withInvocation } from "../src/memo.js";

/** A computation that counts its calls and answers `value` after `ms`, or fails when told to. */
function counted<T>(value: T, ms = 0) {
  const c = {
    calls: 0,
    fail: false,
    run: async (): Promise<T> => {
      c.calls++;
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (c.fail) throw new Error(`failure ${c.calls}`);
      return value;
    },
  };
  return c;
}

describe("remembered", () => {
  it("remembers nothing outside an invocation", async () => {
    const c = counted("a");
    await remembered("k", c.run);
    await remembered("k", c.run);
    expect(c.calls).toBe(2);
  });

  it("remembers an answer for the rest of its invocation only", async () => {
    const c = counted("a");
    await withInvocation(async () => {
      expect(await remembered("k", c.run)).toBe("a");
      expect(await remembered("k", c.run)).toBe("a");
    });
    await withInvocation(() => remembered("k", c.run));
    expect(c.calls).toBe(2);
  });

  it("never remembers a failure", async () => {
    const c = counted("a");
    c.fail = true;
    await withInvocation(async () => {
      await expect(remembered("k", c.run)).rejects.toThrow("failure 1");
      c.fail = false;
      expect(await remembered("k", c.run)).toBe("a");
    });
    expect(c.calls).toBe(2);
  });
});

describe("rememberedBytes", () => {
  it("keeps bytes only when final and within the invocation's limit", async () => {
    const small = counted(Buffer.alloc(10));
    const big = counted(Buffer.alloc(30));
    const partial = counted(Buffer.alloc(5));
    await withInvocation(async () => {
      for (let i = 0; i < 2; i++) {
        await rememberedBytes("small", small.run);
        await rememberedBytes("big", big.run);
        await rememberedBytes("partial", partial.run, { final: (b) => b.length === 6 });
      }
    }, 32);
    // 10 bytes kept; 30 more would pass the 32-byte limit; 5 of a 6-byte upload are not final.
    expect([small.calls, big.calls, partial.calls]).toEqual([1, 2, 2]);
  });

  it("shares a download under way with a caller asking meanwhile", async () => {
    const c = counted(Buffer.from("sums"), 20);
    const [a, b] = await withInvocation(() =>
      Promise.all([rememberedBytes("k", c.run), rememberedBytes("k", c.run)]),
    );
    expect(c.calls).toBe(1);
    expect(a).toBe(b);
  });

  it("a caller whose own signal has not fired downloads for itself when the shared download fails", async () => {
    const c = counted(Buffer.from("sums"), 20);
    c.fail = true;
    const ended = new AbortController();
    ended.abort();
    await withInvocation(async () => {
      const first = rememberedBytes("k", c.run);
      const waiting = rememberedBytes("k", async () => {
        c.fail = false;
        return c.run();
      });
      const aborted = rememberedBytes("k", c.run, { signal: ended.signal });
      await expect(first).rejects.toThrow("failure 1");
      await expect(aborted).rejects.toThrow("failure 1");
      expect(String(await waiting)).toBe("sums");
    });
    expect(c.calls).toBe(2);
  });
});
