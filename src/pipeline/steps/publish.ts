// Release step "publish" (`shipgate publish`): the live dispatch of the publish workflow, after the
// provenance, the rehearsal policy, the release guard, publish-preflight, the remote tag and the
// Homebrew tap all hold. Never dispatched in a dry run, never twice once it succeeded.
import { dispatchStep } from "../publish-dispatch.js";

export const publishStep = dispatchStep("publish");
