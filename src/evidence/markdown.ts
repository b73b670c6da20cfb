// Renders the ledger as evidence.md, a human-readable view written beside evidence.json.

import type { ShipgateConfig } from "../config/schema.js";
import { mechanicsLines } from "./mechanics.js";
import { describeNext, nextStep } from "./next-step.js";
import type { Ledger } from "./schema.js";

const RECENT_EVENTS = 25;

function cell(text: string | number | null | undefined): string {
  return String(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ");
}

export function renderMarkdown(ledger: Ledger, config?: ShipgateConfig): string {
  const { context: c, checkpoint: k } = ledger;
  const lines: string[] = [
    `# Release evidence: ${c.releaseTarget}`,
    "",
    "| input | value |",
    "| --- | --- |",
    `| release target | ${cell(c.releaseTarget)} |`,
    `| base tag | ${cell(c.baseTag)} |`,
    `| mode | ${cell(c.mode)} |`,
    `| agent | ${cell(c.agent)} |`,
    `| initialized | ${cell(c.initializedAt)} |`,
    "",
    "## Checkpoint",
    "",
    `- phase: ${k.phase}`,
    `- branch: ${k.branch ?? "(detached)"} at ${k.sha ?? "?"}`,
    `- remote tag: ${k.remoteTag}`,
    `- last workflow run: ${k.lastRunId ?? "none"}${k.lastRunUrl ? ` (${k.lastRunUrl})` : ""}`,
    `- blocker epic: ${k.blockerEpicId ?? "none"}; open blockers: ${k.openBlockers}`,
    `- updated: ${k.updatedAt}`,
    `- next step: ${describeNext(nextStep(ledger, { config }))}`,
    "",
    "## Gates",
    "",
  ];
  const gates = Object.values(ledger.gates);
  if (gates.length === 0) lines.push("No gate has run yet.");
  else {
    lines.push("| gate | status | summary | duration | log |", "| --- | --- | --- | --- | --- |");
    for (const g of gates) {
      const duration = g.durationMs === undefined ? "" : `${(g.durationMs / 1000).toFixed(1)}s`;
      lines.push(
        `| ${cell(g.id)} | ${g.status}${g.cached ? " (cached)" : ""} | ${cell(g.summary)} | ${duration} | ${cell(g.logPath)} |`,
      );
    }
  }
  if (ledger.blockers.length > 0) {
    lines.push(
      "",
      "## Blockers",
      "",
      "| id | check | title | state | link |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const b of ledger.blockers)
      lines.push(`| ${cell(b.id)} | ${cell(b.check)} | ${cell(b.title)} | ${b.state} | ${cell(b.url)} |`);
  }
  lines.push(...benchLines(ledger.bench));
  const mechanics = mechanicsLines(ledger);
  if (mechanics.length > 0) {
    lines.push("", "## Mechanics", "", "| step | state | detail |", "| --- | --- | --- |");
    for (const m of mechanics) lines.push(`| ${m.step} | ${m.state} | ${cell(m.detail)} |`);
  }
  const delivery = Object.entries(ledger.delivery);
  if (delivery.length > 0) {
    lines.push(
      "",
      "## Delivery",
      "",
      "| channel | status | version seen | checked | url |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const [id, d] of delivery)
      lines.push(
        `| ${cell(id)} | ${d.status}${d.smoke ? ` (smoke ${d.smoke.status})` : ""}${d.dryRun ? " (dry-run)" : ""} | ${cell(d.versionSeen ?? "none")} | ${cell(d.checkedAt)} | ${cell(d.url)} |`,
      );
  }
  lines.push(
    "",
    `## Events (last ${Math.min(RECENT_EVENTS, ledger.events.length)} of ${ledger.events.length})`,
    "",
  );
  for (const e of ledger.events.slice(-RECENT_EVENTS)) {
    const about = [e.data.id, e.data.status].filter((x) => typeof x === "string").join(" ");
    lines.push(`- ${e.at} ${e.type}${about ? ` ${about}` : ""}`);
  }
  lines.push("");
  return lines.join("\n");
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const signed = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(1)} %`;
/** An interval end: a ratio (candidate/base) as a change, null being unbounded. */
const end = (r: unknown, infinite: string) =>
  finite(r) ? signed((r - 1) * 100) : r === null ? infinite : "?";

/** The bench section read defensively (its fields grow): status, summary and one row per scenario. */
function benchLines(bench: Ledger["bench"]): string[] {
  if (!bench) return [];
  const lines = [
    "",
    "## Bench",
    "",
    `- ${cell(String(bench.status ?? "?"))}: ${cell(String(bench.summary ?? ""))}`,
  ];
  const verdicts = Array.isArray(bench.verdicts) ? (bench.verdicts as Record<string, unknown>[]) : [];
  if (verdicts.length === 0) return lines;
  lines.push("", "| scenario | verdict | change | interval |", "| --- | --- | --- | --- |");
  for (const v of verdicts) {
    const change = finite(v?.regressionPercent) ? signed(v.regressionPercent) : "—";
    const ci =
      Array.isArray(v?.ci) && v.ci.length === 2 ? `${end(v.ci[0], "−∞")} … ${end(v.ci[1], "+∞")}` : "—";
    lines.push(
      `| ${cell(String(v?.scenario ?? "?"))} | ${cell(String(v?.verdict ?? "?"))} | ${change} | ${ci} |`,
    );
  }
  return lines;
}
