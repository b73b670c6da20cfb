// Gate kind `command`: a command bash cannot find or cannot execute decided nothing (incomplete, naming
// it), while a command that ran and failed is a fail.
import { chmodSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commandGateSchema, commandKind } from "../../../src/gates/kinds/command.js";
import { createRepo, type TempRepo } from "../../helpers/repo.js";
import { gateContext } from "./context.js";

const gate = (run: string | string[]) => commandGateSchema.parse({ id: "c", run });

describe("command kind", () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("a missing program is incomplete and named; a non-executable one too; a failure is a fail", async () => {
    repo = createRepo({ "not-exec.sh": "#!/bin/sh\nexit 0\n" });
    chmodSync(path.join(repo.dir, "not-exec.sh"), 0o644);
    const ctx = gateContext(repo.dir);

    const missing = await commandKind.run(gate("shipgate-no-such-tool-xyz --check"), ctx);
    expect(missing).toMatchObject({ status: "incomplete" });
    expect(missing.summary).toContain("command not found: shipgate-no-such-tool-xyz");

    const later = await commandKind.run(gate(["true", "shipgate-no-such-tool-xyz"]), ctx);
    expect(later.status).toBe("incomplete");

    const noExec = await commandKind.run(gate("./not-exec.sh"), ctx);
    expect(noExec.status).toBe("incomplete");
    expect(noExec.summary).toContain("cannot execute ./not-exec.sh");

    const failed = await commandKind.run(gate("exit 3"), ctx);
    expect(failed).toMatchObject({ status: "fail", summary: "`exit 3` exited 3" });
    expect((await commandKind.run(gate(["true", "echo ok"]), ctx)).status).toBe("pass");
  });
});
