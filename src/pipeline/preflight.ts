// publish-preflight: read-only checks that publishing can succeed, each with its remediation — the
// Actions secrets publishing needs exist, the release commit is pushed, the base tag is on the remote,
// CI passed for the release commit, and both release workflows exist and are active. Used by the
// `publish-preflight` step and by `publish` before any live dispatch.
import type { ShipgateConfig } from "../config/schema.js";
import { git, headAndBranch, headSha, remoteRefs, remoteTag } from "../context/git.js";
import type { ReleaseContext } from "../context/inputs.js";
import { allInOrder, errorMessage, IncompleteError } from "../errors.js";
import type { GitHubTarget } from "../github/client.js";
import { actionsSecretNames } from "../github/repo.js";
import { getWorkflow, listRuns } from "../github/runs.js";
import { short } from "./release-facts.js";
import type { StepProblem } from "./step.js";

export interface PreflightCheck {
  id: string;
  status: "pass" | "fail" | "incomplete" | "skipped";
  detail: string;
  fix?: string[];
}

export interface PreflightOptions {
  config: ShipgateConfig;
  repoRoot: string;
  release: ReleaseContext;
  gh: GitHubTarget;
  /** The release commit (the tag's); HEAD when no tag exists yet. */
  sha?: string | undefined;
  /** The git remote holding the tags (default origin). */
  remote?: string | undefined;
  /** The build run a publish-only rerun would reuse, for the remedies. */
  buildRunId?: string | undefined;
}

/** Runs one check; an unanswerable question becomes an `incomplete` check rather than an exception. */
async function run(
  id: string,
  check: () => Promise<PreflightCheck | PreflightCheck[]>,
): Promise<PreflightCheck[]> {
  try {
    const result = await check();
    return Array.isArray(result) ? result : [result];
  } catch (err) {
    if (!(err instanceof IncompleteError)) throw err;
    return [{ id, status: "incomplete", detail: errorMessage(err) }];
  }
}

export async function publishPreflight(options: PreflightOptions): Promise<PreflightCheck[]> {
  const { config, repoRoot, release, gh } = options;
  const slug = `${gh.owner}/${gh.repo}`;
  const target = release.releaseTarget;
  const remote = options.remote ?? "origin";
  const sha = options.sha ?? (await headSha(repoRoot));
  const rerun = [
    "shipgate",
    "publish",
    "--release-target",
    target,
    ...(options.buildRunId ? ["--build-run-id", options.buildRunId] : []),
  ];
  // The checks are independent questions to GitHub and the remote: asked at once, reported in order.
  const pending: Promise<PreflightCheck[]>[] = [];

  pending.push(
    run("secrets", async () => {
      const required = config.github.requiredSecrets;
      if (required.length === 0)
        return {
          id: "secrets",
          status: "skipped",
          detail:
            "github.requiredSecrets is empty: no Actions secret is needed (e.g. npm trusted publishing)",
        };
      const names = new Set(await actionsSecretNames(gh));
      return required.map(
        (name): PreflightCheck =>
          names.has(name)
            ? { id: `secret ${name}`, status: "pass", detail: `Actions secret ${name} exists` }
            : {
                id: `secret ${name}`,
                status: "fail",
                detail: `Actions secret ${name} is missing from ${slug}: set it (gh secret set ${name} --repo ${slug}); a publish that failed on a missing or rejected credential is then rerun publish-only with the same build run (${rerun.join(" ")})`,
                fix: ["gh", "secret", "set", name, "--repo", slug],
              },
      );
    }),
  );

  pending.push(
    run("pushed", async () => {
      const { branch, sha: head } = await headAndBranch(repoRoot);
      if (!branch)
        return {
          id: "pushed",
          status: "fail",
          detail: "HEAD is detached: check out the release branch so its upstream can be compared",
        };
      // The branch's configured upstream (branch.<name>.remote and .merge) in one git call.
      const [upstreamRemote, merge] = (
        await git(
          repoRoot,
          ["for-each-ref", "--format=%(upstream:remotename)%00%(upstream:remoteref)", `refs/heads/${branch}`],
          { allowFail: true },
        )
      ).split("\0");
      if (!upstreamRemote || !merge)
        return {
          id: "pushed",
          status: "fail",
          detail: `${branch} has no upstream branch, so the release commit is not known to be pushed: git push -u ${remote} ${branch}`,
          fix: ["git", "push", "-u", remote, branch],
        };
      const remoteHead =
        (await remoteRefs(repoRoot, upstreamRemote, [merge], { what: merge })).get(merge) ?? null;
      if (remoteHead === head)
        return {
          id: "pushed",
          status: "pass",
          detail: `HEAD ${short(head)} is ${upstreamRemote}'s ${merge}`,
        };
      return {
        id: "pushed",
        status: "fail",
        detail: remoteHead
          ? `local HEAD ${short(head)} is not ${upstreamRemote}'s ${merge} (${short(remoteHead)}): push (or pull) so the release commit is the one on the remote`
          : `${upstreamRemote} has no ${merge}: push the release branch`,
        fix: ["git", "push", upstreamRemote, `HEAD:${merge}`],
      };
    }),
  );

  pending.push(
    run("base-tag", async () => {
      const base = release.baseTag;
      if (base === "none")
        return { id: "base-tag", status: "skipped", detail: "first release (--base-tag none): no base tag" };
      const found = await remoteTag(repoRoot, remote, base);
      return found
        ? { id: "base-tag", status: "pass", detail: `${remote} has ${base} at ${short(found.commit)}` }
        : {
            id: "base-tag",
            status: "fail",
            detail: `base tag ${base} is not on ${remote}: push it (git push ${remote} ${base}) or correct --base-tag`,
            fix: ["git", "push", remote, `refs/tags/${base}`],
          };
    }),
  );

  const workflows = [
    ["build", config.github.buildWorkflow, "github.buildWorkflow"],
    ["publish", config.github.publishWorkflow, "github.publishWorkflow"],
  ] as const;
  for (const [role, file, key] of workflows) {
    pending.push(
      run(`workflow ${file}`, async () => {
        const wf = await getWorkflow(gh, file);
        if (!wf)
          return {
            id: `workflow ${file}`,
            status: "fail",
            detail: `the ${role} workflow ${file} does not exist in ${slug} (${key})`,
          };
        return wf.state === "active"
          ? { id: `workflow ${file}`, status: "pass", detail: `${role} workflow ${file} is active` }
          : {
              id: `workflow ${file}`,
              status: "fail",
              detail: `the ${role} workflow ${file} is ${wf.state}: enable it (gh workflow enable ${file} --repo ${slug})`,
              fix: ["gh", "workflow", "enable", file, "--repo", slug],
            };
      }),
    );
  }

  const ci = config.github.ciWorkflow;
  pending.push(
    run("ci", async () => {
      if (!(await getWorkflow(gh, ci)))
        return {
          id: "ci",
          status: "fail",
          detail: `the CI workflow ${ci} does not exist in ${slug} (github.ciWorkflow)`,
        };
      const runs = await listRuns(gh, ci, { head_sha: sha });
      const green = runs.find((r) => r.status === "completed" && r.conclusion === "success");
      if (green)
        return {
          id: "ci",
          status: "pass",
          detail: `${ci} run ${green.id} passed for ${short(sha)} (${green.html_url})`,
        };
      const latest = runs[0];
      if (!latest)
        return {
          id: "ci",
          status: "fail",
          detail: `no ${ci} run for the release commit ${short(sha)}: push it and let CI run`,
        };
      return {
        id: "ci",
        status: "fail",
        detail:
          latest.status === "completed"
            ? `${ci} run ${latest.id} for ${short(sha)} concluded ${latest.conclusion}: CI is red — fix it before publishing (${latest.html_url})`
            : `${ci} run ${latest.id} for ${short(sha)} is still ${latest.status}: wait for it to pass (${latest.html_url})`,
      };
    }),
  );
  return (await allInOrder(pending)).flat();
}

/**
 * The problems a set of checks raises: every failed check, and — beside a failure — every unanswered one.
 * Only unanswered checks (nothing failed) cannot decide anything: IncompleteError (exit 3).
 */
export function preflightProblems(checks: PreflightCheck[]): StepProblem[] {
  const failed = checks.filter((c) => c.status === "fail");
  const unknown = checks.filter((c) => c.status === "incomplete");
  if (failed.length === 0 && unknown.length > 0)
    throw new IncompleteError(
      `publish-preflight could not decide: ${unknown.map((c) => `${c.id}: ${c.detail}`).join("; ")}`,
    );
  return [...failed, ...unknown].map((c) => ({
    kind: "preflight",
    id: c.id,
    detail: c.status === "incomplete" ? `could not be checked: ${c.detail}` : c.detail,
    ...(c.fix ? { fix: c.fix } : {}),
  }));
}
