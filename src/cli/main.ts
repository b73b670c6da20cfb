// The `shipgate` executable's body: runs the program on the process's argv and exits with its code; a
// crash never exits 0. The launcher (launcher.cts, dist/bin/shipgate.js) loads the bundle of this module
// and calls `main`; the build's warm-up calls `run` in-process to fill the code cache.
import { ExitCode } from "../errors.js";
import { redact } from "../evidence/redact.js";
import { run } from "./program.js";

export { run };

export function main(argv: string[]): void {
  // A reader that went away (`shipgate status | head`) must not crash a run that is writing the ledger:
  // output to a closed pipe is dropped; the exit code and the ledger still tell the story.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
    });
  }

  run(argv).then(
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
}
