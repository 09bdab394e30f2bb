// `process` checks: count the processes whose name is `match`, or whose command line contains it, from /proc.
// No `ps` spawned: one readdir and two small reads per process (bench/checks.bench.ts has the cost).
import { readdirSync, readFileSync } from "node:fs";
import type { ProbeOutcome } from "../result.js";

export interface ProcessEntry {
  pid: number;
  /** The program's name: the last part of argv[0] (`python3` for `/usr/bin/python3 /opt/logger.py`). */
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
      // One read a process (bench/checks.bench.ts): a zombie's and a kernel thread's cmdline is empty, so both
      // drop out here, and the name is argv[0]'s last part, which is what `ps -C` and pgrep match on too
      const args = readFileSync(`${proc}/${dir}/cmdline`, "utf8").replace(/\0+$/, "");
      if (args === "") continue;
      const argv0 = args.split("\0", 1)[0]!;
      entries.push({ pid: Number(dir), name: argv0.slice(argv0.lastIndexOf("/") + 1), commandLine: args.replace(/\0/g, " ") });
    } catch {
      // Gone between readdir and read
    }
  }
  return entries;
}

/** Pure: does this /proc hide other users' processes (hidepid, systemd's ProtectProc=invisible)? From mountinfo. */
export function hidesOtherUsers(mountinfo: string): boolean {
  return mountinfo.split("\n").some((line) => {
    const fields = line.split(" ");
    // mountinfo(5): field 5 is the mount point; the super options come last, after " - proc proc "
    return fields[4] === "/proc" && /(^|,)hidepid=(invisible|2|noaccess|1)(,|$)/.test(fields.at(-1) ?? "");
  });
}

export async function probeProcess({ match, min }: { match: string; min: number }): Promise<ProbeOutcome> {
  const found = matchingProcesses(readProcesses(), match, process.pid).length;
  // Hidden is not the same as not running: say so rather than raise a false alarm
  if (found < min && hidesOtherUsers(readFileSync("/proc/self/mountinfo", "utf8"))) {
    return { state: "unknown", text: "other users' processes are hidden (ProtectProc=invisible): see docs/checks.md" };
  }
  return processOutcome(found, min);
}
