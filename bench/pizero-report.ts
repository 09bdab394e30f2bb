// The markdown of bench/pizero.bench.ts: per condition (no quota, a fifth of one core), start to first
// presence and steady-state RSS of the agent against the bare client, with the targets judged on the numbers.
import { median, ratio, sig } from "./stats.js";

export interface Condition {
  name: string;
  /** 1-minute load average before the starts and after the RSS window. */
  load: number[];
  /** [agent, bare client] */
  contenders: { name: string; startMs: number[]; rssKiB: number; cpuPct: number }[];
}

const START_TARGET = 1.5;
const RSS_TARGET = 0.85;

export function pizeroReport(conditions: Condition[], { rounds, seconds, skipped }: { rounds: number; seconds: number; skipped: string | null }): string {
  const out: string[] = [];
  for (const c of conditions) {
    const [agent, floor] = c.contenders as [Condition["contenders"][0], Condition["contenders"][0]];
    const startRatio = median(agent.startMs) / median(floor.startMs);
    const rssRatio = agent.rssKiB / floor.rssKiB;
    out.push(
      `**${c.name}** (load average ${c.load.map((l) => l.toFixed(2)).join(" before, ")} after)`,
      "",
      `| process | start to first presence, median ms | range, ms | vs bare client | RSS after ${seconds} s, MiB | vs bare client | CPU in the window |`,
      "|---|--:|--:|--:|--:|--:|--:|",
      ...c.contenders.map((x) => `| ${x.name} | ${sig(median(x.startMs))} | ${sig(Math.min(...x.startMs))}-${sig(Math.max(...x.startMs))} | ${ratio(median(x.startMs), median(floor.startMs))} | ${sig(x.rssKiB / 1024)} | ${ratio(x.rssKiB, floor.rssKiB)} | ${sig(x.cpuPct)}% of one core |`),
      "",
      `Targets: start at most ${START_TARGET}x the bare client's: ${startRatio <= START_TARGET ? "met" : "NOT met"} (${sig(startRatio)}x); ` +
        `RSS at most ${RSS_TARGET}x: ${rssRatio <= RSS_TARGET ? "met" : "NOT met"} (${sig(rssRatio)}x).`,
      "",
    );
  }
  if (skipped) out.push(`The run under a quota was skipped: ${skipped}.`, "");
  out.push(
    "How it was measured:",
    "",
    `- Start: each process is spawned and timed until the operator's client, in the benchmark, receives its available presence; then stopped (the operator sees it unavailable) before the next. ${rounds} rounds after one warm-up round, agent and bare client alternating in a rotated order. The agent's first login ever (roster set-up) happened before and is left out. The agent reaches its first presence after its first sample, which measures CPU over 250 ms (src/health/monitor.ts); the bare client sends its presence as soon as it is online.`,
    "- Under the quota, the child joins the cgroup before node starts (a shell writes its own PID to cgroup.procs, then execs node), so node's own start-up is throttled too. Prosody and the benchmark are not throttled.",
    `- RSS: both side by side (under the quota, in the same cgroup), 5 s after both were online; VmRSS from /proc/<pid>/status once a second for ${seconds} s, the median of the last 5 readings. CPU: utime+stime over the same window, at the agent's default 10 s interval.`,
    "- The agent runs as the unit has it (`--jitless --no-expose-wasm`, no config but the account and one operator, log level info to a drained pipe); the bare client with node's default flags, JIT on. The bare client is bench/online-bare-client.ts, loaded from node_modules, not bundled.",
  );
  return out.join("\n");
}
