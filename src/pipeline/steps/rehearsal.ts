// Release step "rehearsal" (`shipgate publish --rehearsal`): the publish workflow dispatched with
// rehearsal=true for the release's build run — preflight, provenance and tap checks on GitHub's side,
// nothing published. The one dispatch a dry run makes.
import { dispatchStep } from "../publish-dispatch.js";

export const rehearsalStep = dispatchStep("rehearsal");
