// Known ways a publish run fails, each with its remedy (the runbook's recoveries): a missing or
// rejected registry credential, a stale tap formula, a version a registry already has.
import type { FailedJob } from "../github/runs.js";

export interface Remedy {
  /** missing-credential | stale-tap | already-published */
  pattern: string;
  text: string;
  fix: string[];
}

const CREDENTIAL =
  /\b(401|403)\b|unauthori[sz]ed|forbidden|invalid (api )?token|bad credentials|authentication (failed|required)|not set for publish-preflight|token (is )?(missing|not set|expired|revoked)|ENEEDAUTH|E401|E403/i;
const ALREADY =
  /already exists|already been (published|uploaded)|is already uploaded|previously published|cannot publish over|file already exists|version already exists|EPUBLISHCONFLICT/i;

export interface RemedyContext {
  target: string;
  buildRunId: string;
  /** Channel (`--skip` name) -> the job that publishes it is recognised by the name containing it. */
  channels: readonly string[];
  /** Channels already skipped in this dispatch. */
  skipped: readonly string[];
}

function channelOf(job: string, channels: readonly string[]): string | undefined {
  // The longest name that fits, so "crates-io" wins over a shorter overlapping name.
  return [...channels]
    .sort((a, b) => b.length - a.length)
    .find((c) => job === `publish-${c}` || job.endsWith(c));
}

export function remediesFor(jobs: FailedJob[], ctx: RemedyContext): Remedy[] {
  const rerun = ["shipgate", "publish", "--release-target", ctx.target, "--build-run-id", ctx.buildRunId];
  const remedies: Remedy[] = [];
  const live: string[] = [];
  for (const job of jobs) {
    const log = job.logTail ?? "";
    const channel = channelOf(job.name, ctx.channels);
    if (channel && ALREADY.test(log)) {
      live.push(channel);
      continue;
    }
    if (/homebrew|tap/i.test(job.name)) {
      remedies.push({
        pattern: "stale-tap",
        text: `job ${job.name} failed: stale tap formula — update the tap (shipgate homebrew update --release-target ${ctx.target}), then rerun publish-only with the same build run`,
        fix: ["shipgate", "homebrew", "update", "--release-target", ctx.target],
      });
      continue;
    }
    if ((/preflight/i.test(job.name) || channel) && CREDENTIAL.test(log)) {
      remedies.push({
        pattern: "missing-credential",
        text: `job ${job.name} failed on a missing or rejected registry credential — fix the Actions secret (gh secret set <NAME>), then rerun publish-only with the same build run: ${rerun.join(" ")}`,
        fix: rerun,
      });
    }
  }
  if (live.length > 0) {
    const skip = [...new Set([...ctx.skipped, ...live])];
    const fix = [...rerun, "--skip", skip.join(","), "--allow-partial-release"];
    remedies.push({
      pattern: "already-published",
      text: `${live.join(", ")} already serve${live.length === 1 ? "s" : ""} this version: ${live.length === 1 ? "that channel is" : "those channels are"} live — rerun with ${live.length === 1 ? "it" : "them"} skipped: ${fix.join(" ")}`,
      fix,
    });
  }
  return remedies;
}
