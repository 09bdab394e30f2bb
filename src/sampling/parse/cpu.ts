// /proc/stat -> CPU time counters (proc(5)). Percent needs two snapshots: the kernel only counts up.

export interface CpuTimes {
  busy: number;
  total: number;
  /** Number of `cpuN` lines: the online CPUs. */
  count: number;
}

export function parseProcStat(text: string): CpuTimes | null {
  let aggregate: number[] | null = null;
  let count = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("cpu ")) aggregate = line.trim().split(/\s+/).slice(1).map(Number);
    else if (/^cpu\d+ /.test(line)) count++;
  }
  if (!aggregate || aggregate.length < 4 || aggregate.some((n) => !Number.isFinite(n))) return null;
  // user nice system idle iowait irq softirq steal [guest guest_nice: already inside user and nice]
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = aggregate;
  const idleAll = idle + iowait;
  const total = user + nice + system + idleAll + irq + softirq + steal;
  return { busy: total - idleAll, total, count };
}

/** /proc/self/stat -> the CPU time this process and its reaped children used, in the same ticks as /proc/stat
 * (proc(5): utime, stime, cutime, cstime are fields 14-17; the name in parentheses may hold spaces). */
export function parseOwnTicks(text: string): number | null {
  const fields = text.slice(text.lastIndexOf(")") + 2).trim().split(/\s+/).slice(11, 15).map(Number);
  return fields.length === 4 && fields.every(Number.isFinite) ? fields.reduce((a, b) => a + b, 0) : null;
}

/** Busy share of the time between two snapshots, 0-100; null when no time passed or counters went back.
 * `excludedTicks`: busy time not to count (the agent's own start-up). */
export function cpuPercent(previous: CpuTimes, next: CpuTimes, excludedTicks = 0): number | null {
  const total = next.total - previous.total;
  const busy = next.busy - previous.busy;
  if (total <= 0 || busy < 0) return null;
  return Math.min(100, (Math.max(0, busy - excludedTicks) / total) * 100);
}
