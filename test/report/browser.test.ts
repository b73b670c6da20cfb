// The HTML report in a real headless Chromium (Debian's `chromium` package, driven by playwright-core; no
// browser is ever downloaded). A real ledger — init, then a gate run where one gate fails and files a
// blocker and another passes — is rendered by `shipgate report`; the page must load with no
// console error and no request but its own file, show every section, and fit a 375 px phone screen. A
// second page renders a ledger with every section filled (bench charts and delivery rows included) by long
// and hostile values, the worst case for the layout. Screenshots are written under the test's temp dir.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport, SECTIONS } from "../../src/report/render.js";
import { runCli } from "../helpers/cli.js";
import { INIT, releaseRepo } from "../helpers/demo-repo.js";
import type { TempRepo } from "../helpers/repo.js";
import { fullLedger, TOKEN } from "./fixtures.js";

const CHROMIUM = "/usr/bin/chromium";
// .ci/run installs the package and sets this, so CI fails instead of skipping when the browser is absent.
const REQUIRED = process.env.SHIPGATE_REQUIRE_CHROMIUM === "1";
const missing = !existsSync(CHROMIUM);
const title = missing
  ? `HTML report in headless Chromium — SKIPPED: ${CHROMIUM} is missing (install Debian's chromium package; .ci/run does)`
  : "HTML report in headless Chromium";

const T = ["--release-target", "v0.3.0"];
const PHONE = { width: 375, height: 740 };
// Chromium flags for a hermetic run: nothing phones home, no GPU, no profile left behind.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Visit {
  problems: string[];
  requests: string[];
}

/** Opens a file URL, collecting console errors, page errors, dialogs and every request made. */
async function visit(browser: BrowserContext, file: string): Promise<{ page: Page } & Visit> {
  const page = await browser.newPage();
  await page.setViewportSize(PHONE);
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("request", (r) => requests.push(r.url()));
  page.on("dialog", (d) => {
    problems.push(`dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems, requests };
}

async function checkPage(page: Page, v: Visit, file: string): Promise<void> {
  expect(v.problems).toEqual([]);
  expect(v.requests).toEqual([pathToFileURL(file).href]);
  for (const [id, heading] of SECTIONS) {
    await expect.poll(() => page.locator(`#${id} > h2`).isVisible()).toBe(true);
    expect(await page.locator(`#${id} > h2`).textContent()).toBe(heading);
  }
  // A string: the test is type-checked without the DOM library.
  const widths = await page.evaluate<{ scroll: number; body: number }>(
    "({ scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth })",
  );
  expect(widths.scroll).toBeLessThanOrEqual(PHONE.width);
  expect(widths.body).toBeLessThanOrEqual(PHONE.width);
}

/** A real ledger made by the CLI: init, then unit fails (filing a blocker) and lint passes; its report. */
async function realReport(dir: string): Promise<{ repo: TempRepo; file: string }> {
  const repo = releaseRepo(`gates:
  - { id: unit, name: "unit <tests>", run: "echo 'expected <b>3</b> got 4 ${TOKEN}'; exit 1" }
  - { id: lint, run: "echo lint clean" }
`);
  const cwd = repo.dir;
  expect((await runCli(INIT, { cwd })).code).toBe(0);
  expect((await runCli(["gates", ...T], { cwd })).code).toBe(1);
  const file = path.join(dir, "release.html");
  const res = await runCli(["report", ...T, "--html", file, "--json"], { cwd });
  expect(res.code, res.stderr).toBe(0);
  return { repo, file };
}

describe.skipIf(missing && !REQUIRED)(title, () => {
  let real: { repo: TempRepo; file: string } | undefined;
  let browser: BrowserContext | undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), "shipgate-report-browser-"));

  beforeAll(async () => {
    if (missing) throw new Error(`${CHROMIUM} is missing and SHIPGATE_REQUIRE_CHROMIUM=1: install chromium`);
    // One launch for the whole file, with a fresh profile under the temp dir; the browser starts up in
    // its own process while the CLI builds the real ledger.
    const launching = chromium.launchPersistentContext(path.join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: PHONE,
      offline: true,
    });
    // A 50 ms head start lets playwright spawn it before the repository's synchronous git calls hold the
    // event loop.
    const building = new Promise<void>((resolve) => setTimeout(resolve, 50)).then(() => realReport(dir));
    [browser, real] = await Promise.all([launching, building]);
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(path.join(dir, "profile"), { recursive: true, force: true });
    real?.repo.cleanup();
    // The screenshots stay, for a person to look at.
    console.log(`report screenshots: ${dir}`);
  });

  it("renders a real release's ledger: no console error, no request, every section, no sideways scroll at 375 px", async () => {
    const file = real?.file as string;
    const v = await visit(browser as BrowserContext, file);
    await checkPage(v.page, v, file);
    const gatesText = (await v.page.locator("#gates").textContent()) ?? "";
    expect(gatesText).toContain("unit <tests>");
    expect(gatesText).toContain("expected <b>3</b> got 4");
    expect(await v.page.locator("#gates b").count()).toBe(0);
    expect(await v.page.content()).not.toContain(TOKEN);
    expect(await v.page.locator("#blockers tbody tr").count()).toBe(1);
    expect(await v.page.locator("#bench").textContent()).toContain("No benchmark was recorded");
    expect(await v.page.locator("#mechanics").textContent()).toContain("No release step has run yet.");
    await v.page.screenshot({ path: path.join(dir, "release-375.png"), fullPage: true });
    await v.page.close();
  });

  it("keeps a ledger with every section filled by long and hostile values within 375 px", async () => {
    const file = path.join(dir, "full.html");
    writeFileSync(file, renderReport(fullLedger(), { generatedAt: new Date().toISOString() }));
    const v = await visit(browser as BrowserContext, file);
    await checkPage(v.page, v, file);
    // Links are real links, only to http(s) targets; wide tables scroll inside their own box.
    const hrefs = await v.page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const h of hrefs) expect(h).toMatch(/^(#[a-z]+|https?:\/\/)/);
    const overflowing = await v.page
      .locator(".scroll")
      .evaluateAll((boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth).length);
    expect(overflowing).toBeGreaterThan(0);
    await v.page.locator("#bench").screenshot({ path: path.join(dir, "full-bench-375.png") });
    await v.page.close();
  });
});
