// The fleet benchmark's section of docs/benchmarks.md, from what fleet.bench.ts measured. Pure.
import type { DevicesUsage } from "./fleet-devices.js";
import { sig } from "./stats.js";
import { watcherReport, type WatcherFigures } from "./fleet-watcher-report.js";

export interface PhaseFigures {
  name: string;
  /** From the phase's start to the operator seeing its goal (all N online, all N dnd, ...). */
  seconds: number;
  /** The whole phase, the usage readings included: the denominator of the CPU figures. */
  wallSeconds: number;
  /** performance.now() of each presence from a device the operator got during the phase. */
  presences: number[];
  startedAt: number;
  /** Prosody's CPU time over the phase, in percent of one core. */
  serverCpuPercent: number;
  serverRssBytes: number;
  devicesCpuPercent: number;
  devicesRssBytes: number;
  /** Health samples the devices took during the phase. */
  samples: number;
  /** What the agents logged at warn and above during the phase, by message. */
  warnings: Record<string, number>;
}

export interface FleetFigures {
  devices: number;
  seed: number;
  steadySeconds: number;
  /** null: the config's default. */
  loginStepTimeoutSeconds: number | null;
  serverDownMs: number;
  flapperEvery: number;
  /** Subscription requests from devices that the operator's client got, and accepted, at the first start. */
  accepted: number;
  rosterItems: number;
  rosterSeconds: number;
  baseline: DevicesUsage;
  online: DevicesUsage;
  steady: DevicesUsage;
  end: DevicesUsage;
  phases: PhaseFigures[];
  /** null: run without a watcher (--watcher 0). */
  watcher: WatcherFigures | null;
}

const MiB = 2 ** 20;
const mib = (bytes: number) => `${sig(bytes / MiB)} MiB`;
const kib = (bytes: number) => `${sig(bytes / 1024)} KiB`;

/** The most arrivals within any `windowMs` (times sorted, as they arrive). */
export function peakWithin(times: number[], windowMs: number): number {
  let peak = 0;
  for (let from = 0, to = 0; to < times.length; to++) {
    while (times[to]! - times[from]! >= windowMs) from++;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}

export function perMinute(count: number, seconds: number): number {
  return seconds > 0 ? (count / seconds) * 60 : NaN;
}

function warningList(byMessage: Record<string, number>): string {
  const entries = Object.entries(byMessage).sort((a, b) => b[1] - a[1]);
  return entries.length ? ` (${entries.map(([msg, count]) => `${count} "${msg}"`).join(", ")})` : "";
}

export function fleetReport(f: FleetFigures): string {
  const n = f.devices;
  const phase = (name: string) => f.phases.find((p) => p.name === name);
  // Peaks rather than a phase's average: a phase of one second would read as 60,000 a minute
  const rows = f.phases.map(
    (p) =>
      `| ${p.name} | ${sig(p.seconds)} s | ${p.presences.length} | ${peakWithin(p.presences, 1000)} | ${peakWithin(p.presences, 60_000)} | ${sig(p.serverCpuPercent)}% | ${mib(p.serverRssBytes)} | ${sig(p.devicesCpuPercent)}% |`,
  );
  const steady = phase("steady state");
  const perDevice = (f.online.rssBytes - f.baseline.rssBytes) / n;
  const heapPerDevice = (f.online.heapUsedBytes - f.baseline.heapUsedBytes) / n;
  const steadyPerDevice = (f.steady.rssBytes - f.baseline.rssBytes) / n;
  const lines = [
    `${n} agents (one process, a session each, the default config: a sample every 10 s, raiseAfter/clearAfter 3,`,
    `minIntervalSeconds 60, refreshSeconds 900, loginStepTimeoutSeconds ${f.loginStepTimeoutSeconds ?? "10"}), one operator with all ${n} in the roster, one Prosody 0.12 on loopback`,
    `(log level info). Health is synthetic and seeded (seed ${f.seed}): numbers drift every sample inside "ok"; one`,
    `device in ${f.flapperEvery} reads 80-90% CPU, across the 85% warn threshold, at random; the spike reads 97-100%.`,
    ``,
    `| phase | operator saw the goal after | presences at the operator | peak in 1 s | peak in 60 s | Prosody CPU (of one core) | Prosody RSS after | agents' process CPU |`,
    `|---|---|---|---|---|---|---|---|`,
    ...rows,
    ``,
    `Goals: first start, all ${n} available (the subscription handshake included: the operator's client got and accepted`,
    `${f.accepted} subscription requests); operator logs in, its roster (${f.rosterItems} items, after ${sig(f.rosterSeconds)} s) and all ${n} presences;`,
    `spike, all ${n} dnd; calm, all out of dnd; Prosody restarted (down ${sig(f.serverDownMs / 1000)} s), all ${n} available again at an operator who logged`,
    `back in; all stop, ${n} unavailable presences with the reason.`,
    ``,
    steady
      ? `Steady state: ${steady.presences.length} presences in ${sig(steady.wallSeconds)} s (${sig(perMinute(steady.presences.length, steady.wallSeconds))} a minute) for ${steady.samples} samples taken (${sig((steady.presences.length / Math.max(steady.samples, 1)) * 1000)} presences per 1,000 samples); a naive agent that sends a presence per changed sample would send one per sample.`
      : `Steady state: not reached.`,
    ``,
    `Agents' process memory: ${mib(f.baseline.rssBytes)} RSS with the modules loaded and no agent, ${mib(f.online.rssBytes)} with ${n} online`,
    `(${kib(perDevice)} RSS and ${kib(heapPerDevice)} heap per device), ${mib(f.steady.rssBytes)} after the steady state (${kib(steadyPerDevice)} per device).`,
    `Agents' warnings and errors: ${f.end.warnings} in all; fatal exits: ${f.end.fatal}. By phase:`,
    ``,
    ...f.phases.map((p) => `- ${p.name}: ${Object.values(p.warnings).reduce((a, b) => a + b, 0)}${warningList(p.warnings)}`),
    ...(f.watcher ? ["", ...watcherReport(f.watcher)] : []),
  ];
  return lines.join("\n");
}
