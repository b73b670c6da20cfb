// README stays true: every YAML example in it is a valid shipgate.yaml, and every command it
// documents exists in the CLI.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { processIo } from "../src/cli/output.js";
import { buildProgram } from "../src/cli/program.js";
import { parseConfig } from "../src/config/load.js";

const readme = readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe("README", () => {
  it("opens with the two commands a newcomer runs", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toContain("npm ci && npm run demo");
    expect(firstBlock).toContain("npm test");
  });

  it.each(yamlBlocks.map((block, i) => [i, block]))("YAML example %i is a valid config", (_i, block) => {
    expect(() => parseConfig("README.md", block as string)).not.toThrow();
  });

  it("documents only commands that exist, and every command that exists", () => {
    const program = buildProgram({ io: processIo(), argv: [] });
    const documented = new Set([...readme.matchAll(/^### `shipgate ([a-z][a-z-]*)/gm)].map((m) => m[1]));
    const mentioned = new Set([...readme.matchAll(/`shipgate ([a-z][a-z-]*)[^`]*`/g)].map((m) => m[1]));
    const actual = program.commands.map((c) => c.name()).filter((n) => n !== "help");
    for (const name of actual) expect(mentioned, `README never mentions shipgate ${name}`).toContain(name);
    for (const name of documented) expect(actual).toContain(name);
  });
});
