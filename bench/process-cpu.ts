// CPU time of this process AND of its reaped children, from /proc/self/stat (proc(5): fields 14-17, utime,
// stime, cutime, cstime, in clock ticks). process.cpuUsage() leaves children out, and a library that runs
// `df` or `cat` spends most of its CPU in them.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface CpuTicks {
  self: number;
  children: number;
}

export interface ProcessCpu {
  /** Clock ticks per second (`getconf CLK_TCK`, 100 on most Linux builds). */
  ticksPerSecond: number;
  now(): CpuTicks;
}

/** `pid`: another process to read (the fleet benchmark's Prosody); default this one. */
export function processCpu(pid: number | "self" = "self"): ProcessCpu {
  let ticksPerSecond = 100;
  try {
    ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    // getconf missing: 100 is the kernel's USER_HZ on every mainstream architecture
  }
  return {
    ticksPerSecond,
    now() {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // comm (field 2) may hold spaces and parentheses: count fields from the last ')'
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
      const at = (field: number) => fields[field - 3] ?? 0;
      return { self: at(14) + at(15), children: at(16) + at(17) };
    },
  };
}

/** Resident set size in bytes (VmRSS in /proc/PID/status), or null once the process is gone. */
export function residentBytes(pid: number | "self" = "self"): number | null {
  try {
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}
