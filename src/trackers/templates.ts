// Blocker titles and bodies, as the runbook specifies them; every piece can be overridden in config.
import type { TemplateOverrides } from "./common.js";

export interface TemplateValues {
  target: string;
  agent: string;
  mode: string;
  check?: string;
  title?: string;
  summary?: string;
  rerun?: string;
  evidence?: string;
}

export const DEFAULT_TEMPLATES = {
  epicTitle: "Release blockers: {target}",
  taskTitle: "[release-blocker][{target}] {title}",
  epicBody: `## Goal
Release {target} with every QA gate passing and nothing left open.

## Background / Rationale
shipgate files one task under this epic for each gate that blocked {target}. A live release refuses to tag or publish while any of them is open.

## Acceptance Criteria
- Every task under this epic is closed.
- \`shipgate gates --release-target {target}\` exits 0.

## Automated Validation Gates
- \`shipgate status --release-target {target}\`
- \`shipgate blockers list --release-target {target}\`

## Consult Me
- {agent} ({mode})
`,
  taskBody: `## Goal
Make the \`{check}\` check pass for {target}.

## Background / Rationale
{summary}

{evidence}

## Acceptance Criteria
- \`{rerun}\` exits 0.
- The ledger records \`{check}\` as pass for {target}.

## Automated Validation Gates
- \`{rerun}\`

## Consult Me
- {agent} ({mode})
`,
};

/** Replaces `{name}` placeholders; unknown ones are left as they are so a typo shows. */
export function render(template: string, values: TemplateValues): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = (values as unknown as Record<string, string | undefined>)[name];
    return value === undefined ? whole : value;
  });
}

export function templatesOf(config: { templates: TemplateOverrides }): typeof DEFAULT_TEMPLATES {
  return { ...DEFAULT_TEMPLATES, ...config.templates };
}
