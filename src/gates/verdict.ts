// One rule turns a set of gate statuses into an exit code: any fail blocks (1); anything not
// decided as pass or skipped, or nothing at all, is incomplete (3); otherwise pass (0).
import { ExitCode } from "../errors.js";

export function exitCodeForStatuses(statuses: readonly string[]): number {
  if (statuses.includes("fail")) return ExitCode.blocked;
  if (statuses.length === 0 || statuses.some((s) => s !== "pass" && s !== "skipped"))
    return ExitCode.incomplete;
  return ExitCode.pass;
}
