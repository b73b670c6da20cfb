#!/usr/bin/env node
// The `shipgate` executable: runs the program and exits with its code; a crash never exits 0.
import { ExitCode } from "../errors.js";
import { redact } from "../evidence/redact.js";
import { run } from "./program.js";

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `shipgate: error: unexpected error: ${redact(message)}\nhint: rerun with --verbose for details\n`,
    );
    process.exitCode = ExitCode.incomplete;
  },
);
