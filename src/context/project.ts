// The project a command works on: the working directory, its git repository and the validated config.
import { statSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../config/load.js";
import type { ShipgateConfig } from "../config/schema.js";
import { UsageError } from "../errors.js";
import { registerSecrets } from "../evidence/redact.js";
import { repoRoot } from "./git.js";

export interface Project {
  cwd: string;
  repoRoot: string;
  config: ShipgateConfig;
  configFile: string;
}

export interface ProjectOptions {
  /** Run as if started here (default: the process's working directory). */
  cwd?: string | undefined;
  /** An explicit config file (default: found from the working directory). */
  config?: string | undefined;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false; // absent, or under a file (ENOTDIR)
  }
}

export async function loadProject(options: ProjectOptions): Promise<Project> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.cwd !== undefined && (options.cwd === "" || !isDirectory(cwd))) {
    throw new UsageError(`--cwd ${options.cwd || '""'} is not a directory`);
  }
  const root = await repoRoot(cwd);
  const { config, file } = loadConfig(cwd, options.config, root);
  // Whatever the config hands to commands through `env:` is treated as a secret, whatever its name.
  registerSecrets([
    ...config.gates.flatMap((g) => Object.values(g.env)),
    ...Object.values(config.bench?.env ?? {}),
  ]);
  return { cwd, repoRoot: root, config, configFile: file };
}
