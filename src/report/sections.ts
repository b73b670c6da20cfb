// The report's sections other than bench, each a function of the ledger returning HTML. Every ledger
// string goes through html.ts's text/link helpers; an empty section says so in words.
import type { NextStep } from "../evidence/next-step.js";
import type { Ledger } from "../evidence/schema.js";
import type { AnyStep } from "../pipeline/step.js";
import { steps } from "../pipeline/steps/index.js";
import {
  anyValue,
  badge,
  clip,
  code,
  dl,
  empty,
  isRecord,
  link,
  linkify,
  plain,
  pre,
  seconds,
  table,
  text,
  tone,
} from "./html.js";

type Gate = Ledger["gates"][string];

function tally(words: string[]): string {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([w, n]) => `${n} ${badge(w)}`).join(" ");
}

export function contextSection(ledger: Ledger, next: NextStep | null): string {
  const { context: c, checkpoint: k } = ledger;
  const gates = Object.values(ledger.gates);
  const delivery = Object.values(ledger.delivery as Record<string, unknown>).filter(isRecord);
  const open = ledger.blockers.filter((b) => b.state === "open").length;
  const bench = isRecord(ledger.bench) ? ledger.bench : null;
  const glance = [
    `<li>gates: ${gates.length === 0 ? '<span class="muted">none run</span>' : tally(gates.map((g) => g.status))}</li>`,
    `<li>open blockers: ${open === 0 ? "0" : `<strong class="bad">${open}</strong>`}</li>`,
    `<li>bench: ${bench ? badge(bench.status) : '<span class="muted">none</span>'}</li>`,
    `<li>delivery: ${delivery.length === 0 ? '<span class="muted">not checked</span>' : tally(delivery.map((d) => plain(d.status)))}</li>`,
  ];
  return `<ul class="tally">${glance.join("")}</ul>
${dl([
  ["release target", text(c.releaseTarget)],
  ["base tag", text(c.baseTag)],
  ["mode", badge(c.mode)],
  ["agent", text(c.agent)],
  ["initialized", text(c.initializedAt)],
  ["phase", text(k.phase)],
  ["branch", text(k.branch ?? "(detached)")],
  ["commit", code(k.sha ?? "?")],
  ["remote tag", text(k.remoteTag)],
  ["last workflow run", k.lastRunId ? link(k.lastRunUrl ?? "", k.lastRunId) : text("none")],
  ["blocker epic", text(k.blockerEpicId ?? "none")],
  ["open blockers (checkpoint)", text(k.openBlockers)],
  ["updated", text(k.updatedAt)],
  [
    "next step",
    next ? `${text(next.reason)}<br>${code(next.command.join(" "))}` : text("nothing: the release is done"),
  ],
])}`;
}

function gateItem(g: Gate): string {
  const blocking = g.status === "fail" || g.status === "incomplete";
  // A list, not a table: a command line is long and reads best with the whole width to itself.
  const commands =
    g.commands.length === 0
      ? ""
      : `<ul class="cmds">${g.commands
          .map((cmd) => {
            const notes = [
              `exit ${cmd.exitCode ?? "none"}`,
              seconds(cmd.durationMs),
              cmd.signal ? `signal ${cmd.signal}` : "",
              cmd.timedOut ? "timed out" : "",
              cmd.spawnError ? `could not start: ${cmd.spawnError}` : "",
            ].filter(Boolean);
            return `<li>${code(cmd.command)} <span class="muted">${text(notes.join(" · "))}</span></li>`;
          })
          .join("")}</ul>`;
  const excerpt =
    g.excerpt === undefined || g.excerpt === ""
      ? ""
      : `<details${blocking ? " open" : ""}><summary>log excerpt</summary>${pre(g.excerpt)}</details>`;
  const details =
    g.details === undefined ? "" : `<details><summary>details</summary>${anyValue(g.details)}</details>`;
  return `<article class="item">
<header>${badge(g.status)}${g.cached ? ' <span class="badge muted">cached</span>' : ""} <h3>${text(g.name)}</h3> <span class="muted">${text(g.id)} · ${text(g.kind)}</span></header>
<p>${linkify(g.summary)}</p>
${dl([
  ["started", text(g.startedAt)],
  ["finished", text(g.finishedAt)],
  ["duration", text(seconds(g.durationMs))],
  ["log", g.logPath ? code(g.logPath) : ""],
  ["blocker", text(g.blockerId)],
])}${commands}${excerpt}${details}
</article>`;
}

export function gatesSection(ledger: Ledger): string {
  const gates = Object.values(ledger.gates);
  return gates.length === 0 ? empty("No gate has run yet.") : gates.map(gateItem).join("\n");
}

export function blockersSection(ledger: Ledger): string {
  const filed =
    ledger.blockers.length === 0
      ? empty("No blocker was filed.")
      : table(
          ["blocker", "state", "title", "check", "tracker", "link", "filed", "resolved"],
          ledger.blockers.map((b) => [
            text(b.id),
            badge(b.state),
            text(b.title),
            text(b.check),
            text(b.tracker),
            b.url ? link(b.url) : '<span class="muted">none recorded</span>',
            text(b.filedAt),
            text(b.resolvedAt ?? ""),
          ]),
          [2, 5],
        );
  // A dry run never writes to a remote tracker; what it would have filed is only in the events.
  const wouldFile = ledger.events.filter((e) => e.type === "blocker-would-file");
  const would =
    wouldFile.length === 0
      ? ""
      : `<p>Would have been filed (dry run: the ${text(wouldFile[0]?.data.tracker)} tracker was left untouched):</p>${table(
          ["check", "title", "at"],
          wouldFile.map((e) => [text(e.data.id), text(e.data.title), text(e.at)]),
          [1],
        )}`;
  return `${filed}${would}`;
}

/** Every step in step order: recorded ones with their describe() line and every field of the record. */
export function mechanicsSection(ledger: Ledger): string {
  const records = ledger.mechanics as Record<string, unknown>;
  const known = steps as readonly AnyStep[];
  const items: string[] = [];
  const notYet: string[] = [];
  for (const step of known) {
    const record = records[step.name];
    if (record === undefined) {
      notYet.push(step.name);
      continue;
    }
    let line: { state: string; detail: string };
    try {
      line = step.describe(record);
    } catch {
      line = { state: "unreadable", detail: "this record does not have the shape its step expects" };
    }
    items.push(stepItem(step.name, line, record));
  }
  // The schema only admits records of known steps; a report must still show anything it is handed.
  for (const [name, record] of Object.entries(records)) {
    if (record !== undefined && !known.some((s) => s.name === name))
      items.push(stepItem(name, { state: "unknown step", detail: "" }, record));
  }
  const pending =
    notYet.length === 0 ? "" : `<p class="muted">Not run yet: ${notYet.map((n) => text(n)).join(", ")}.</p>`;
  return items.length === 0
    ? `${empty("No release step has run yet.")}${pending}`
    : `${items.join("\n")}${pending}`;
}

function stepItem(name: string, line: { state: string; detail: string }, record: unknown): string {
  const fields = isRecord(record)
    ? dl(Object.entries(record).map(([k, v]) => [k, anyValue(v)]))
    : anyValue(record);
  return `<article class="item">
<header>${badge(line.state)} <h3>${text(name)}</h3></header>
<p>${linkify(line.detail)}</p>
${fields}
</article>`;
}

/** One row per channel: status, version seen, URL asked, when; any other field under "more". */
export function deliverySection(ledger: Ledger): string {
  const entries = Object.entries(ledger.delivery as Record<string, unknown>);
  if (entries.length === 0) return empty("No delivery check was recorded yet.");
  const shown = new Set(["status", "versionSeen", "url", "checkedAt", "summary"]);
  return table(
    ["channel", "status", "version seen", "URL checked", "checked at", "summary", "more"],
    entries.map(([id, entry]) => {
      const d = isRecord(entry) ? entry : { summary: entry };
      const rest = Object.entries(d).filter(([k, v]) => !shown.has(k) && v !== undefined);
      return [
        text(id),
        badge(d.status),
        text(d.versionSeen ?? "none"),
        link(d.url ?? ""),
        text(d.checkedAt ?? ""),
        text(d.summary ?? ""),
        rest.length === 0
          ? ""
          : `<details><summary>${rest.length} fields</summary>${dl(rest.map(([k, v]) => [k, anyValue(v)]))}</details>`,
      ];
    }),
    [3, 5, 6],
  );
}

const EVENT_DATA_MAX = 240;

function eventTone(type: string, data: Record<string, unknown>): string {
  const status = data.status;
  if (typeof status === "string") return tone(status);
  if (/fail|refused|interrupted/.test(type)) return "bad";
  if (/filed|blocker/.test(type)) return "warn";
  return "plain";
}

/** Every event in order, oldest first, with its data as `key: value` pairs. */
export function timelineSection(ledger: Ledger): string {
  if (ledger.events.length === 0) return empty("No event was recorded.");
  const items = ledger.events.map((e) => {
    const data = Object.entries(e.data)
      .map(([k, v]) => `${clip(k, 60)}: ${clip(v, EVENT_DATA_MAX)}`)
      .join(" · ");
    return `<li class="t-${eventTone(e.type, e.data)}"><time>${text(e.at)}</time><span class="etype">${text(e.type)}</span>${data ? `<span class="edata">${data}</span>` : ""}</li>`;
  });
  return `<p class="muted">${ledger.events.length} events, oldest first.</p><ol class="timeline">\n${items.join("\n")}\n</ol>`;
}
