// `shipgate versions`: every manifest version; exit 1 on drift (from --expect, --release-target, or each other).
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { action, type Invocation } from "./action.js";
import { projectOptions } from "./runtime.js";

export function register(program: Command, inv: Invocation): void {
  program
    .command("versions")
    .description(
      "show every manifest version; exit 1 on drift (from --expect, --release-target, or each other)",
    )
    .option("--expect <version>", "the version every manifest must hold, e.g. 1.4.0")
    .option("--release-target <tag>", "expect the version this tag names")
    .action(
      action(inv, async (command, out) => {
        const { versionsReport } = await import("../gates/versions.js");
        const { describeVersion } = await import("../gates/kinds/version-alignment.js");
        const r = await versionsReport(projectOptions(command), command.opts());
        const reference = r.expected ?? "";
        out.result({ ok: r.exitCode === ExitCode.pass, ...r }, [
          ...r.versions.map(
            (v) =>
              `${out.status(v.value !== null && v.value === reference ? "pass" : "fail")} ${describeVersion(v)}`,
          ),
          r.exitCode === ExitCode.pass ? `all at ${reference}` : `drift: ${r.summary}`,
        ]);
        return r.exitCode;
      }),
    );
}
