// `process` checks: count the processes whose name is `match`, or whose command line contains it, from /proc.
// No `ps` spawned: one readdir and two small reads per process (bench/checks.bench.ts has the cost).
import { readdirSync, readFileSync } from "node:fs";
import type { ProbeOutcome } from "../result.js";

export interface ProcessEntry {
  pid: number;
  /** /proc/PID/comm: the name, at most 15 characters. */
  name: string;
  /** /proc/PID/cmdline with NULs as spaces; empty for kernel threads. */
  commandLine: string;
}

/** Pure: a name matches whole, a command line by substring (`logger.py` in `python3 /opt/logger.py`). */
export function matchingProcesses(entries: ProcessEntry[], match: string, selfPid: number): ProcessEntry[] {
  return entries.filter((p) => p.pid !== selfPid && (p.name === match || (p.commandLine !== "" && p.commandLine.includes(match))));
}

export function processOutcome(count: number, min: number): ProbeOutcome {
  if (count === 0) return { state: "failed", text: "not running" };
  if (count < min) return { state: "failed", text: `${count} running, fewer than ${min}` };
  return { state: "ok", text: `${count} running` };
}

export function readProcesses(proc = "/proc"): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const dir of readdirSync(proc)) {
    if (!/^\d+$/.test(dir)) continue;
    try {
      // A zombie has exited: it is not "running" (its cmdline is empty too)
      const stat = readFileSync(`${proc}/${dir}/stat`, "latin1");
      if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z") continue;
      const name = readFileSync(`${proc}/${dir}/comm`, "utf8").trim();
      const commandLine = readFileSync(`${proc}/${dir}/cmdline`, "utf8").replace(/\0+$/, "").replace(/\0/g, " ");
      entries.push({ pid: Number(dir), name, commandLine });
    } catch {
      // Gone between readdir and read
    }
  }
  return entries;
}

export async function probeProcess({ match, min }: { match: string; min: number }): Promise<ProbeOutcome> {
  return processOutcome(matchingProcesses(readProcesses(), match, process.pid).length, min);
}
