// Runs one gate's kind under the fail-closed rules that hold wherever a gate runs (engine or a
// single-kind command): required tools present, a timeout, interrupts, and no exception, claimed
// `skipped` or pass-after-timeout ever ending as a pass.
import { statSync } from "node:fs";
import which from "which";
import type { BaseConfig } from "../config/base.js";
import type { ReleaseContext } from "../context/inputs.js";
import { errorMessage } from "../errors.js";
import type { Outcome } from "../types.js";
import { createGateContext, type GateProcessTracking, gateCwd } from "./context.js";
import { findGateKind } from "./kinds/index.js";
import type { GateEntry, GateLog } from "./types.js";

/** Gates without a `timeout` get this one: nothing may hang a release forever. */
export const DEFAULT_GATE_TIMEOUT_MS = 30 * 60_000;

export interface ExecuteOptions {
  config: BaseConfig;
  repoRoot: string;
  release: ReleaseContext;
  changedFiles: string[];
  targetDir: string;
  log: GateLog;
  /** The run's interrupt (Ctrl-C); the gate's own timeout is added here. */
  signal: AbortSignal;
  recordBench?: (data: Record<string, unknown>) => void;
  processes?: GateProcessTracking;
}

/** An outcome, and whether it is blocking only because the run was interrupted (not the gate's fault). */
export type GateOutcome = Outcome & { interrupted?: true };

export async function missingTools(tools: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of tools) if (!(await which(tool, { nothrow: true }))) missing.push(tool);
  return missing;
}

export async function executeGate(gate: GateEntry, options: ExecuteOptions): Promise<GateOutcome> {
  const { log } = options;
  const kind = findGateKind(gate.kind);
  if (!kind) return { status: "incomplete", summary: `unknown gate kind ${gate.kind}` };

  const missing = await missingTools(gate.requires);
  if (missing.length > 0) {
    log.write(`missing required tool(s): ${missing.join(", ")}\nPATH=${process.env.PATH ?? ""}\n`);
    return {
      status: "incomplete",
      summary: `required tool${missing.length > 1 ? "s" : ""} not on PATH: ${missing.join(", ")}`,
    };
  }
  const cwd = gateCwd(gate, options.repoRoot);
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
    return { status: "incomplete", summary: `the gate's cwd ${gate.cwd} is not a directory` };
  }

  const timeoutMs = gate.timeout ?? DEFAULT_GATE_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const onInterrupt = () => controller.abort();
  options.signal.addEventListener("abort", onInterrupt, { once: true });
  const ctx = createGateContext({
    gate,
    config: options.config,
    repoRoot: options.repoRoot,
    release: options.release,
    changedFiles: options.changedFiles,
    targetDir: options.targetDir,
    log,
    signal: controller.signal,
    deadline: Date.now() + timeoutMs,
    ...(options.recordBench ? { recordBench: options.recordBench } : {}),
    processes: options.processes,
    onTimeout: () => {
      timedOut = true;
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      resolve({ status: "fail", summary: `timed out after ${Math.round(timeoutMs / 1000)}s` });
    }, timeoutMs + 1000); // exec's own timer fires first for commands; this catches kinds that hang elsewhere
  });
  try {
    const outcome = await Promise.race([kind.run(gate, ctx), timeout]);
    // `skipped` belongs to unmatched triggers only; a kind that claims it has decided nothing.
    if (outcome.status === "skipped")
      return { ...outcome, status: "incomplete", summary: `undecided: ${outcome.summary}` };
    // A timeout is the gate's own failure even when Ctrl-C came too; an interrupt alone decides nothing.
    if (timedOut && outcome.status === "pass")
      return { ...outcome, status: "fail", summary: `timed out: ${outcome.summary}` };
    if (options.signal.aborted && !timedOut)
      return {
        ...outcome,
        status: "incomplete",
        summary: `interrupted: ${outcome.summary}`,
        interrupted: true,
      };
    return outcome;
  } catch (err) {
    log.write(`\nshipgate: the gate crashed: ${errorMessage(err)}\n`);
    if (options.signal.aborted && !timedOut)
      return { status: "incomplete", summary: `interrupted: ${errorMessage(err)}`, interrupted: true };
    return { status: "incomplete", summary: `gate crashed: ${errorMessage(err)}` };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", onInterrupt);
  }
}
