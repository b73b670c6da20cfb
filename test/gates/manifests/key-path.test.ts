import { describe, expect, it } from "vitest";
import { lookupKeyPath, parseKeyPath } from "../../../src/gates/manifests/key-path.js";

describe("key paths", () => {
  it("parses dotted, quoted, selector and index segments", () => {
    expect(parseKeyPath("package.version")).toEqual([
      { key: "package", selectors: [] },
      { key: "version", selectors: [] },
    ]);
    expect(parseKeyPath('packages."".version')[1]).toEqual({ key: "", selectors: [] });
    expect(parseKeyPath('"a.b".c')[0]).toEqual({ key: "a.b", selectors: [] });
    expect(parseKeyPath("package[name=plasmite].version")[0]).toEqual({
      key: "package",
      selectors: [{ field: "name", equals: "plasmite" }],
    });
    expect(parseKeyPath('x[name="a]b"][0].v')[0]?.selectors).toEqual([
      { field: "name", equals: "a]b" },
      { index: 0 },
    ]);
  });

  it.each(["", "a..b", "a.", ".a", "a[", "a[b]", "a]"])("refuses the malformed path %j", (p) => {
    expect(() => parseKeyPath(p)).toThrow();
  });

  it("finds own values only, and says where a lookup stopped", () => {
    const lock = {
      package: [
        { name: "serde", version: "1.0.0" },
        { name: "plasmite", version: "0.8.0" },
      ],
    };
    expect(lookupKeyPath(lock, "package[name=plasmite].version")).toEqual({ found: true, value: "0.8.0" });
    expect(lookupKeyPath(lock, "package[1].name")).toEqual({ found: true, value: "plasmite" });
    expect(lookupKeyPath(lock, "package[name=tokio].version")).toEqual({
      found: false,
      reason: "no element package[name=tokio]",
    });
    expect(lookupKeyPath({ a: [{ n: "x" }, { n: "x" }] }, "a[n=x]")).toMatchObject({
      found: false,
      reason: "2 elements match a[n=x]",
    });
    expect(lookupKeyPath({ a: { b: 1 } }, "a.c")).toEqual({ found: false, reason: "no `c` under a" });
    expect(lookupKeyPath({ a: 1 }, "a[0]")).toEqual({ found: false, reason: "a is not an array" });
    // Object.prototype's members are not keys of the document.
    expect(lookupKeyPath({}, "constructor").found).toBe(false);
    expect(lookupKeyPath({ a: {} }, "a.toString").found).toBe(false);
  });
});
