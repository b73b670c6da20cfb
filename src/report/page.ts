// The report's page shell: one HTML document with its CSS inline and a Content-Security-Policy that lets it
// load nothing at all (no script, font, image or stylesheet from anywhere), so it reads the same offline.
import { esc } from "./html.js";

export interface PageSection {
  id: string;
  title: string;
  body: string;
}

// Phone first: one column, tables and preformatted logs scroll inside their own box, long words (URLs,
// hashes, paths) wrap, so the page itself never scrolls sideways at 375 px.
const CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa;
  --line: #d1d9e0; --link: #0550ae; --good: #1a7f37; --bad: #cf222e; --warn: #9a6700; --zone: #ffebe9; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
    --link: #4493f8; --good: #3fb950; --bad: #f85149; --warn: #d29922; --zone: #3c1618; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif; }
header, main, footer { max-width: 64rem; margin: 0 auto; padding: 0 0.9rem; }
header { padding-top: 1rem; }
h1 { font-size: 1.45rem; margin: 0 0 0.3rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0 0 0.6rem; }
h3 { font-size: 1rem; margin: 0; overflow-wrap: anywhere; }
a { color: var(--link); overflow-wrap: anywhere; }
nav { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; padding: 0.5rem 0; font-size: 0.9rem; }
section { border-top: 1px solid var(--line); padding: 1rem 0; }
.sub { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; margin: 0.2rem 0; }
.badge { display: inline-block; padding: 0 0.45em; border-radius: 0.7em; border: 1px solid currentColor;
  font-size: 0.8rem; font-weight: 600; white-space: nowrap; vertical-align: 0.1em; }
.good { color: var(--good); } .bad { color: var(--bad); } .warn { color: var(--warn); }
.badge.plain, .badge.muted { color: var(--muted); }
.tally { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0.6rem 0; padding: 0; list-style: none; }
.item { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.75rem;
  margin: 0 0 0.6rem; min-width: 0; }
.item > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2rem 0.5rem; max-width: none;
  margin: 0; padding: 0; }
.item p { margin: 0.35rem 0; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: fit-content(14rem) minmax(0, 1fr); gap: 0.2rem 0.8rem;
  margin: 0.4rem 0; }
dt { color: var(--muted); overflow-wrap: break-word; }
dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
dd dl { margin: 0; }
@media (max-width: 30rem) { dl { grid-template-columns: fit-content(7.5rem) minmax(0, 1fr); } dt { font-size: 0.85rem; } }
code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.85em; }
code { overflow-wrap: anywhere; }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 0.5rem;
  margin: 0.3rem 0; max-height: 22rem; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
details > summary { cursor: pointer; color: var(--muted); }
.scroll { overflow-x: auto; max-width: 100%; margin: 0.4rem 0; border: 1px solid var(--line); border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; padding: 0.3rem 0.5rem; color: var(--muted); }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); }
th { background: var(--panel); white-space: nowrap; }
td { min-width: 6rem; overflow-wrap: anywhere; }
td.wide { min-width: 13rem; }
ul.cmds { list-style: none; margin: 0.4rem 0; padding: 0; }
ul.cmds li { margin: 0.2rem 0; overflow-wrap: anywhere; }
ul.cmds .muted { white-space: nowrap; }
ol.plain { margin: 0; padding-left: 1.2rem; }
ol.timeline { list-style: none; margin: 0; padding: 0; border-left: 2px solid var(--line); }
ol.timeline li { position: relative; margin: 0 0 0.45rem; padding-left: 0.8rem; overflow-wrap: anywhere; }
ol.timeline li::before { content: ""; position: absolute; left: -0.36rem; top: 0.45rem; width: 0.6rem;
  height: 0.6rem; border-radius: 50%; background: var(--line); }
ol.timeline li.t-good::before { background: var(--good); } ol.timeline li.t-bad::before { background: var(--bad); }
ol.timeline li.t-warn::before { background: var(--warn); }
ol.timeline time { color: var(--muted); font-size: 0.85rem; margin-right: 0.4rem; }
ol.timeline .etype { font-weight: 600; color: var(--fg); }
ol.timeline .edata { display: block; color: var(--muted); font-size: 0.85rem; }
figure { margin: 0.5rem 0 0.9rem; }
figcaption { overflow-wrap: anywhere; }
svg.chart { display: block; width: 100%; max-width: 36rem; height: auto; color: var(--fg); }
svg.chart text { fill: var(--muted); font: 10px system-ui, sans-serif; }
svg.chart .axis { stroke: var(--line); }
svg.chart .zero { stroke: var(--muted); stroke-dasharray: 3 3; }
svg.chart .threshold { stroke: var(--bad); stroke-dasharray: 4 2; }
svg.chart .zone { fill: var(--zone); }
svg.chart .ci { stroke: currentColor; stroke-width: 3; stroke-linecap: round; }
svg.chart .est { fill: currentColor; stroke: var(--bg); stroke-width: 1.5; }
footer { color: var(--muted); font-size: 0.85rem; padding-bottom: 2rem; overflow-wrap: anywhere; }
`;

/** The whole document. `title` and `subtitle` are HTML already; sections' ids name their anchors. */
export function page(options: {
  title: string;
  heading: string;
  subtitle: string;
  sections: PageSection[];
  footer: string;
}): string {
  const nav = options.sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join("\n");
  const body = options.sections
    .map(
      (s) =>
        `<section id="${esc(s.id)}" aria-labelledby="${esc(s.id)}-h">\n<h2 id="${esc(s.id)}-h">${esc(s.title)}</h2>\n${s.body}\n</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="shipgate">
<title>${options.title}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${options.heading}</h1>
<p class="sub">${options.subtitle}</p>
<nav aria-label="sections">
${nav}
</nav>
</header>
<main>
${body}
</main>
<footer>${options.footer}</footer>
</body>
</html>
`;
}
