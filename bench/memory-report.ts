// The markdown of bench/memory.bench.ts: RSS once a minute, the drift from the reference reading, CPU.
import { median, ratio, sig } from "./stats.js";

export interface MemoryTrace {
  name: string;
  /** VmRSS once a second, KiB; index 0 is 1 s after both were online. */
  rssKiB: number[];
  cpuTicks: number;
  ticksPerSecond: number;
}

const FLAT_MIB = 2;
const RSS_TARGET = 0.85;
const MiB = (kib: number) => sig(kib / 1024);

export function memoryReport(traces: MemoryTrace[], { minutes, load }: { minutes: number; load: number[] }): string {
  const refS = Math.min(300, Math.floor((minutes * 60) / 2));
  const summary = traces.map((t) => {
    const ref = t.rssKiB[refS - 1]!;
    const after = t.rssKiB.slice(refS);
    const drift = Math.max(...after.map((v) => Math.abs(v - ref)));
    return { ref, drift, end: median(t.rssKiB.slice(-10)), min: Math.min(...after), max: Math.max(...after), cpuPct: (100 * t.cpuTicks) / t.ticksPerSecond / (minutes * 60) };
  });
  const [agent, floor] = summary as [(typeof summary)[0], (typeof summary)[0]];
  const perMinute = [
    `| minute | ${traces.map((t) => `${t.name}, RSS MiB`).join(" | ")} |`,
    `|--:|${traces.map(() => "--:").join("|")}|`,
    ...Array.from({ length: minutes }, (_, m) => `| ${m + 1} | ${traces.map((t) => MiB(t.rssKiB[(m + 1) * 60 - 1]!)).join(" | ")} |`),
  ];
  const table = [
    `| process | RSS at ${refS} s, MiB | after it: min-max, MiB | largest drift from it, MiB | RSS at the end (median of last 10 s), MiB | vs bare client | CPU over the run |`,
    "|---|--:|--:|--:|--:|--:|--:|",
    ...traces.map((t, k) => {
      const s = summary[k]!;
      return `| ${t.name} | ${MiB(s.ref)} | ${MiB(s.min)}-${MiB(s.max)} | ${MiB(s.drift)} | ${MiB(s.end)} | ${ratio(s.end, floor.end)} | ${sig(s.cpuPct)}% of one core |`;
    }),
  ];
  const flat = agent.drift <= FLAT_MIB * 1024;
  const small = agent.end <= RSS_TARGET * floor.end;
  return [
    ...table,
    "",
    `Targets: the agent's RSS flat, every reading after ${refS} s within ${FLAT_MIB} MiB of the reading at ${refS} s: ${flat ? "met" : "NOT met"} (largest drift ${MiB(agent.drift)} MiB over ${minutes} min). ` +
      `Its RSS at most ${RSS_TARGET}x the bare client's: ${small ? "met" : "NOT met"} (${sig(agent.end / floor.end)}x). ` +
      `The agent sampled at its default interval (10 s) throughout; its CPU, ${sig(agent.cpuPct)}% of one core of this machine, is what sampling, presence and the XMPP keep-alives cost together.`,
    "",
    ...perMinute,
    "",
    `Load average (1 min) at each minute: ${load.join(", ")}. The machine is shared (2 cores); both processes ran side by side, so the noise hit both.`,
    "",
    `How it was measured: both processes started one after the other against one throwaway Prosody on loopback, each online (the operator saw its presence) before the window opened; VmRSS from /proc/<pid>/status once a second for ${minutes} min; CPU from /proc/<pid>/stat (utime+stime, children included) over the window.`,
  ].join("\n");
}
