// execShell: output redacted line by line even when a token arrives split across writes.
import { describe, expect, it } from "vitest";
import { execShell } from "../../src/gates/exec.js";

describe("execShell", () => {
  it("redacts a token written in two halves with a pause between them", async () => {
    const token = `ghp_${"k7".repeat(18)}`;
    const half = token.length / 2;
    const chunks: string[] = [];
    const result = await execShell(
      `printf '%s' '${token.slice(0, half)}'; sleep 0.2; printf '%s\\n' '${token.slice(half)}'; printf 'tail-no-newline'`,
      {
        cwd: process.cwd(),
        onOutput: (c) => chunks.push(c),
      },
    );
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe("[REDACTED]\ntail-no-newline");
    expect(chunks.join("")).not.toContain(token.slice(0, half));
  });

  it("reports a command that cannot start as a spawn error, never as exit 0", async () => {
    const result = await execShell("true", { cwd: "/nonexistent/dir" });
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toBeTruthy();
  });
});
