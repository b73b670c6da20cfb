// Ctrl-C / SIGTERM for long commands: the first aborts the work (which then records itself as
// incomplete and cleans up); a second one quits at once with exit 3.
import { ExitCode } from "../errors.js";
import type { CliIo } from "./output.js";

export function interruptible(message: string, io: CliIo): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(ExitCode.incomplete);
    io.stderr.write(`interrupted: ${message} (press Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
