// `command` checks: any Monitoring Plugin (check_disk, check_procs, ...) unchanged. argv, no shell; exit 0 ok,
// 1 warn, 2 crit, 3 (or anything else) unknown; the first line is the text, perf data parsed; killed at its timeout;
// output capped, so a runaway plugin cannot fill the agent's memory.
import { spawn } from "node:child_process";
import type { ProbeOutcome } from "../result.js";
import { pluginState, splitPluginOutput } from "../perfdata.js";

/** The guidelines ask plugins for one line (and optional long output): 8 KiB is plenty. */
export const MAX_OUTPUT_BYTES = 8 * 1024;

export function probeCommand({ argv }: { argv: string[] }, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const [program, ...args] = argv as [string, ...string[]];
    let output = "";
    let bytes = 0;
    let timedOut = false;
    const child = spawn(program, args, {
      stdio: ["ignore", "pipe", "pipe"],
      // Plugins print in the C locale as monitoring systems expect; no secrets of ours in their environment
      env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" },
    });
    const take = (chunk: Buffer) => {
      if (bytes >= MAX_OUTPUT_BYTES) return;
      const part = chunk.subarray(0, MAX_OUTPUT_BYTES - bytes);
      bytes += part.length;
      output += part.toString("utf8");
    };
    child.stdout.on("data", take);
    // Plugins print to stdout; stderr matters only when stdout has nothing (a crash, a usage error)
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => {
      if (errors.length < 512) errors += chunk.toString("utf8").slice(0, 512 - errors.length);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ state: "unknown", text: err.code === "ENOENT" ? `cannot run ${program}: not found` : `cannot run ${program}: ${err.code ?? err.message}` });
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ state: "unknown", text: `timed out after ${timeoutMs / 1000} s (killed)` });
      const { text, perf } = splitPluginOutput(output);
      const shown = text || errors.split("\n")[0]?.trim() || (signal ? `killed by ${signal}` : `exit ${code}`);
      resolve({ state: pluginState(code), text: shown, perf });
    });
  });
}
