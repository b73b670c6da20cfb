// Secret redaction: env-var values by name and well-known token shapes.
import { describe, expect, it } from "vitest";
import { REDACTED, Redactor } from "../../src/evidence/redact.js";

describe("Redactor", () => {
  it("redacts values of secret-named environment variables, longest first", () => {
    const r = new Redactor({
      NPM_TOKEN: "abcdef123456",
      MY_SECRET: "abcdef123456-extended",
      HOME: "/root",
      API_KEY: "short",
    });
    expect(r.redact("a abcdef123456-extended b abcdef123456 c /root")).toBe(
      `a ${REDACTED} b ${REDACTED} c /root`,
    );
    // Too short to redact safely without mangling ordinary text.
    expect(r.redact("short")).toBe("short");
  });

  it.each([
    ["GitHub classic", `ghp_${"a".repeat(36)}`],
    ["GitHub server", `ghs_${"Z9".repeat(18)}`],
    ["GitHub fine-grained", `github_pat_${"x1".repeat(30)}`],
    ["npm", `npm_${"q".repeat(36)}`],
    ["PyPI", `pypi-AgEIcHlwaS5vcmc${"b".repeat(40)}`],
    ["crates.io", `cio${"k".repeat(32)}`],
  ])("redacts a %s token", (_kind, token) => {
    const out = new Redactor({}).redact(`token: ${token} end`);
    expect(out).toBe(`token: ${REDACTED} end`);
  });

  it("redacts Authorization headers, URL credentials and .npmrc auth lines", () => {
    const r = new Redactor({});
    expect(r.redact("Authorization: Bearer abc.def")).toBe(`Authorization: ${REDACTED}`);
    expect(r.redact("authorization: token xyz123")).toBe(`authorization: ${REDACTED}`);
    expect(r.redact("https://user:hunter22@example.invalid/x")).toBe(
      `https://user:${REDACTED}@example.invalid/x`,
    );
    expect(r.redact("//registry.example.invalid/:_authToken=s3cret")).toBe(
      `//registry.example.invalid/:_authToken=${REDACTED}`,
    );
  });

  it("redacts every string of a nested value and learns secrets at run time", () => {
    const r = new Redactor({});
    r.add("runtime-secret-999");
    expect(r.redactDeep({ a: ["x runtime-secret-999"], b: { c: 1, d: "runtime-secret-999" } })).toEqual({
      a: [`x ${REDACTED}`],
      b: { c: 1, d: REDACTED },
    });
  });
});
