// The one list of commands; each file registers one command (or one command group).
import type { Command } from "commander";
import { register as config } from "./config.js";
import { register as gates } from "./gates.js";
import { register as init } from "./init.js";
import { register as status } from "./status.js";

export const commands: ((program: Command) => void)[] = [init, status, gates, config];
