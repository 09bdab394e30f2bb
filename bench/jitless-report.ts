// The markdown of bench/jitless.bench.ts: the agent with and without V8's JIT, one table per question, and
// the sentences computed from the same numbers.
import type { ProcMemory } from "./online-process.js";
import { percentile } from "./queries-report.js";
import { median, sig } from "./stats.js";

export interface Engine {
  /** How it was started, for the tables. */
  name: string;
  flags: string[];
  startMs: number[];
  /** CPU clock ticks (the process and its reaped children) over the sampling window. */
  cpuTicks: number;
  samples: number;
  ticksPerSecond: number;
  rss: ({ s: number } & ProcMemory)[];
  chatMs: number[];
  versionMs: number[];
}

const MiB = (kib: number) => sig(kib / 1024);
const change = (value: number, base: number) => `${value >= base ? "+" : ""}${sig(((value - base) / base) * 100)}%`;

export function jitlessReport(engines: Engine[], method: { rounds: number; seconds: number; intervalS: number; queries: number; warmup: number }): string {
  const [jit, jitless] = engines as [Engine, Engine];
  const cpuMsPerSample = (e: Engine) => (e.cpuTicks / e.ticksPerSecond / e.samples) * 1000;
  const rssEnd = (e: Engine) => median(e.rss.slice(-5).map((x) => x.rss));
  const rssAt = (e: Engine, s: number) => e.rss.find((x) => x.s === s)?.rss ?? NaN;
  const early = Math.min(30, method.seconds);
  const rows = engines.map((e) => {
    const p = (ms: number[], q: number) => sig(percentile(ms, q));
    return [
      e.name, sig(median(e.startMs)), `${sig(Math.min(...e.startMs))}-${sig(Math.max(...e.startMs))}`, sig(cpuMsPerSample(e)),
      MiB(rssAt(e, early)), MiB(rssEnd(e)), MiB(e.rss.at(-1)!.hwm), MiB(median(e.rss.slice(-5).map((x) => x.anon))),
      p(e.chatMs, 50), p(e.chatMs, 99), p(e.versionMs, 50), p(e.versionMs, 99),
    ];
  });
  const table = [
    `| agent process | start to first presence, median ms | range, ms | CPU per sample, ms | RSS at ${early} s, MiB | RSS at ${method.seconds} s, MiB | peak RSS, MiB | anonymous at ${method.seconds} s, MiB | chat p50 ms | chat p99 ms | version IQ p50 ms | version IQ p99 ms |`,
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
  const chat99 = [percentile(jit.chatMs, 99), percentile(jitless.chatMs, 99)] as const;
  const summary =
    `In this run, without the JIT the agent's first presence came ${change(median(jitless.startMs), median(jit.startMs))} ` +
    `(median ${sig(median(jitless.startMs))} ms against ${sig(median(jit.startMs))} ms), one sample cost ` +
    `${change(cpuMsPerSample(jitless), cpuMsPerSample(jit))} CPU (${sig(cpuMsPerSample(jitless))} ms against ${sig(cpuMsPerSample(jit))} ms), ` +
    `RSS after ${jit.samples} samples was ${change(rssEnd(jitless), rssEnd(jit))} (${MiB(rssEnd(jitless))} MiB against ${MiB(rssEnd(jit))} MiB), ` +
    `and the p99 of a chat answer was ${change(chat99[1], chat99[0])} (${sig(chat99[1])} ms against ${sig(chat99[0])} ms).`;
  return [
    ...table,
    "",
    summary,
    "",
    "How it was measured:",
    "",
    `- Both are \`dist/cli.js run\` as child processes with their config in the environment (real sampling, log level info), each with its own account and a watching client subscribed to it, against one throwaway Prosody on loopback.`,
    `- Start: ${method.rounds} rounds, the two started one after the other in a rotated order, each timed from the spawn to its watcher receiving the available presence, then stopped; the first start of each (it sets up the subscription) is left out.`,
    `- CPU and RSS: both run at once, sampling every ${method.intervalS} s, for ${method.seconds} s after a 5 s settling time: ${jit.samples} samples each, as many as ${sig((jit.samples * 10) / 60)} minutes give at the default 10 s interval (the interval shortened so the bench stays minutes long; \`--seconds\` sets the window). CPU is utime + stime of the process and its reaped children (/proc/<pid>/stat) over the window, divided by the samples; it includes the agent's XMPP keepalives and presence updates. RSS is VmRSS from /proc/<pid>/status every second; "at ${method.seconds} s" is the median of the last 5 readings.`,
    `- Answers: then ${method.queries} chat lines (\`cpu\` and \`status\`, alternating) and ${method.queries} version IQs to each agent, one round trip at a time, alternating between the agents, after ${method.warmup} warm-up steps; from a bare @xmpp/client operator with Nagle off (bench/queries-operators.ts).`,
  ].join("\n");
}
