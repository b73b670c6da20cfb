// The HTML renderer: every ledger string is escaped and redacted, only http(s) URLs become links, every
// section is there (saying so when it is empty), nothing is loaded from anywhere, and a bench section
// of any shape renders.
import { describe, expect, it } from "vitest";
import type { Ledger } from "../../src/evidence/schema.js";
import { clip, link, linkify, text } from "../../src/report/html.js";
import { renderReport, SECTIONS } from "../../src/report/render.js";
import { emptyLedger, fullLedger, LONG, TOKEN } from "./fixtures.js";

const render = (ledger: Ledger) => renderReport(ledger, { generatedAt: "2025-01-01T12:00:00.000Z" });
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] as string);
/** The body of one section. */
const section = (html: string, id: string) =>
  new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1] ?? "";

describe("report renderer", () => {
  const full = render(fullLedger());
  const empty = render(emptyLedger());

  it("escapes markup from the ledger: a <script> in a gate, blocker, bench or event is text", () => {
    expect(full).not.toMatch(/<script/i);
    expect(full).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Attribute values cannot be broken out of either.
    expect(full).toContain("Unit &quot;tests&quot;");
    expect(text(`"><img src=x onerror=alert(1)>`)).toBe("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(text("it's & <b>")).toBe("it&#39;s &amp; &lt;b&gt;");
  });

  it("redacts every string: a token in a summary, an excerpt or an event never shows", () => {
    expect(full).not.toContain(TOKEN);
    expect(full).toContain("[REDACTED]");
    expect(clip(`${"x".repeat(10)} ${TOKEN}`, 16)).not.toContain(TOKEN.slice(0, 8));
  });

  it("links http and https URLs only: javascript:, file: and data: stay text", () => {
    const links = hrefs(full);
    for (const h of links) expect(h).toMatch(/^(#[a-z]+|https?:\/\/)/);
    expect(links).toContain("https://github.example/acme/widget/issues/2");
    expect(links).toContain("https://github.example/acme/widget/actions/runs/4242");
    expect(links).toContain("https://registry.example/widget");
    expect(links).toContain("https://git.example/acme/widget.git");
    expect(links).toContain("https://ci.example/logs/7");
    expect(full).toContain("file:///etc/passwd");
    expect(full).not.toMatch(/href="(javascript|file|data):/i);
    expect(link("javascript:alert(1)")).toBe("javascript:alert(1)");
    expect(link("https://a.example/x?y=1&z=<2>")).toBe(
      '<a href="https://a.example/x?y=1&amp;z=&lt;2&gt;" rel="noreferrer noopener">https://a.example/x?y=1&amp;z=&lt;2&gt;</a>',
    );
    expect(linkify("see https://a.example/run/1.")).toBe(
      'see <a href="https://a.example/run/1" rel="noreferrer noopener">https://a.example/run/1</a>.',
    );
  });

  it("has every section, in order, each reachable from the navigation", () => {
    for (const html of [full, empty]) {
      const positions = SECTIONS.map(([id]) => html.indexOf(`<section id="${id}"`));
      for (const p of positions) expect(p).toBeGreaterThan(0);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const [id, title] of SECTIONS) expect(html).toContain(`<a href="#${id}">${title}</a>`);
    }
  });

  it("says so where a section is empty", () => {
    expect(section(empty, "gates")).toContain("No gate has run yet.");
    expect(section(empty, "blockers")).toContain("No blocker was filed.");
    expect(section(empty, "bench")).toContain("No benchmark was recorded for this release.");
    expect(section(empty, "mechanics")).toContain("No release step has run yet.");
    expect(section(empty, "delivery")).toContain("No delivery check was recorded yet.");
    expect(section(empty, "timeline")).toContain("1 events, oldest first.");
    for (const note of ["No gate", "No blocker was", "No benchmark", "No release step", "No delivery"])
      expect(full).not.toContain(note);
  });

  it("loads nothing: no script, no external style, font or image, and a policy that forbids them", () => {
    for (const html of [full, empty]) {
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
      expect(html).not.toMatch(
        /\ssrc=|url\(|@import|@font-face|<link rel="stylesheet"|<iframe|<object|<embed/i,
      );
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
      expect(style).not.toContain("http");
    }
  });

  it("shows the context, the checkpoint and the next step", () => {
    const ctx = section(full, "context");
    for (const s of ["v0.3.0", "v0.2.0", "tester@ci", "tagged", "0123456789abcdef0123456789abcdef01234567"])
      expect(ctx).toContain(s);
    expect(ctx).toContain("shipgate gates --release-target v0.3.0 --only unit");
  });

  it("shows each gate's outcome, summary, commands and excerpt (open when it blocks)", () => {
    const gates = section(full, "gates");
    expect(gates.match(/<article class="item">/g)).toHaveLength(3);
    expect(gates).toContain('<span class="badge bad">fail</span>');
    expect(gates).toContain('<span class="badge good">pass</span>');
    expect(gates).toContain('<span class="badge muted">skipped</span>');
    expect(gates).toContain(
      "<details open><summary>log excerpt</summary><pre>FAIL test/a.test.ts\n  expected &lt;div&gt;",
    );
    expect(gates).toContain("npm test -- --grep &#39;&lt;b&gt;&#39;");
    expect(gates).toContain("cached");
  });

  it("shows blockers with their tracker links, and what a dry run would have filed", () => {
    const blockers = section(full, "blockers");
    expect(blockers).toContain(
      '<a href="https://github.example/acme/widget/issues/2" rel="noreferrer noopener">https://github.example/acme/widget/issues/2</a>',
    );
    expect(blockers).toContain(">javascript:alert(1)</td>");
    expect(blockers).toContain("Would have been filed");
    expect(blockers).toContain("publish failed &lt;script&gt;");
  });

  it("charts every bench scenario on one axis and shows fields it does not know", () => {
    const bench = section(full, "bench");
    expect(bench.match(/<svg class="chart"/g)).toHaveLength(4);
    expect(bench).toContain("+30.0 % (+22.0 % … +38.0 %)");
    expect(bench).toContain("+10.0 % (−10.0 % … +∞)");
    expect(bench).toContain("not estimated");
    expect(bench).toContain("95 % interval");
    expect(bench).toContain("+15.0 % threshold");
    expect(bench).toContain("futureField");
    expect(bench).toContain("missing on base");
    expect(bench).toContain('<g class="bad">');
  });

  it("renders a bench section of any shape without failing", () => {
    const odd: unknown[] = [
      { status: "pass" },
      { verdicts: "not a list" },
      { verdicts: [{}, null, 3, { scenario: "x", ci: ["a", 2] }] },
      { verdicts: [{ scenario: "y", regressionPercent: 5 }], thresholdPercent: 10 },
    ];
    for (const bench of odd) {
      const html = render({ ...emptyLedger(), bench: bench as Record<string, unknown> });
      expect(section(html, "bench")).not.toBe("");
    }
  });

  it("renders each release step's describe() line and every field of its record", () => {
    const mechanics = section(full, "mechanics");
    expect(mechanics).toContain('<span class="badge plain">planned (dry-run)</span>');
    expect(mechanics).toContain("v0.3.0 at 0123456789ab on");
    for (const field of ["tag", "sha", "remote", "dryRun", "actions", "plannedAt"])
      expect(mechanics).toContain(`<dt>${field}</dt>`);
    expect(mechanics).toContain("create, push");
  });

  it("has one delivery row per channel: status, version seen, URL checked, time", () => {
    const delivery = section(full, "delivery");
    expect(delivery.match(/<tr>/g)).toHaveLength(4);
    for (const s of [
      "npm:widget",
      "pypi:widget",
      "go:example.com/widget",
      "0.2.9",
      "2025-01-01T10:07:01.000Z",
    ])
      expect(delivery).toContain(s);
    for (const s of ["live", "missing", "wrong"]) expect(delivery).toContain(`>${s}</span>`);
    expect(delivery).toContain('href="https://registry.example/widget"');
    expect(delivery).toContain("data:text/html,&lt;b&gt;hi&lt;/b&gt;");
  });

  it("lists every event in order, long values cut", () => {
    const timeline = section(full, "timeline");
    expect(timeline.match(/<li /g)).toHaveLength(fullLedger().events.length);
    expect(timeline.indexOf("gate-started")).toBeLessThan(timeline.indexOf("tag-planned"));
    expect(timeline).not.toContain(LONG);
    expect(timeline).toContain("…");
  });

  it("keeps what evidence.md shows: the same gates, blockers and bench scenarios", async () => {
    const { renderMarkdown } = await import("../../src/evidence/markdown.js");
    const ledger = fullLedger();
    const md = renderMarkdown(ledger);
    expect(md).toContain("## Bench");
    expect(md).toContain("| append | regressed | +30.0 % | +22.0 % … +38.0 % |");
    expect(md).toContain("https://github.example/acme/widget/issues/2");
    for (const id of [...Object.keys(ledger.gates), ...ledger.blockers.map((b) => b.id)]) {
      expect(md).toContain(`| ${id} |`);
      expect(full).toContain(id);
    }
  });
});
