// The one list of commands; each file registers one command (or one command group) and loads its
// use-case only when it runs, so `--help` and `--version` load none of them.
import type { Command } from "commander";
import type { Invocation } from "./action.js";
import { register as bench } from "./bench.js";
import { register as blockers } from "./blockers.js";
import { register as build } from "./build.js";
import { register as config } from "./config.js";
import { register as contract } from "./contract.js";
import { register as deliver } from "./deliver.js";
import { register as gates } from "./gates.js";
import { register as homebrew } from "./homebrew.js";
import { register as init } from "./init.js";
import { register as notices } from "./notices.js";
import { register as provenance } from "./provenance.js";
import { register as publish } from "./publish.js";
import { register as publishPreflight } from "./publish-preflight.js";
import { register as report } from "./report.js";
import { register as run } from "./run.js";
import { register as status } from "./status.js";
import { register as tag } from "./tag.js";
import { register as versions } from "./versions.js";

export const commands: ((program: Command, inv: Invocation) => void)[] = [
  init,
  status,
  gates,
  blockers,
  tag,
  homebrew,
  deliver,
  build,
  provenance,
  publishPreflight,
  publish,
  bench,
  report,
  run,
  versions,
  notices,
  contract,
  config,
];
