// Turns the sampling scenario's measurements into its section of docs/benchmarks.md: tables, targets, and a few
// hedged sentences that say only what this run's numbers show.
import { median, ratio, sig } from "./stats.js";

export interface Batch {
  samples: number;
  selfMs: number;
  childMs: number;
  wallMs: number;
  spawns: number;
}

export interface Measured {
  name: string;
  version?: string;
  /** Start-up (building the contender) and its first sample: spawns over both, wall of the sample. */
  first: { wallMs: number; spawns: number };
  batches: Batch[];
  batchSize: number;
  gaps: string[];
}

export interface RssRow {
  name: string;
  loadedMb: number;
  sampledMb: number;
}

const LABELS: Record<string, string> = {
  floor: "floor: the same reads + statfs, no parsing",
  "ours-sync": "ours, readFileSync (as shipped)",
  "ours-async": "ours, fs.promises.readFile",
  systeminformation: "systeminformation, 5 calls (naive)",
  "node-os-utils": "node-os-utils, 8 calls",
  bare: "bare node",
};

interface Row {
  m: Measured;
  cpu: number;
  child: number;
  wall: number;
  spawns: number;
  low: number;
  high: number;
}

function summarise(m: Measured): Row {
  const per = (f: (b: Batch) => number) => m.batches.map((b) => f(b) / b.samples);
  const cpus = per((b) => b.selfMs + b.childMs);
  return {
    m,
    cpu: median(cpus),
    child: median(per((b) => b.childMs)),
    wall: median(per((b) => b.wallMs)),
    spawns: median(per((b) => b.spawns)),
    low: Math.min(...cpus),
    high: Math.max(...cpus),
  };
}

export interface Method {
  rounds: number;
  batchCpuMs: number;
  batchMaxWallMs: number;
  intervalMs: number;
  ticksPerSecond: number;
}

export function samplingReport(measured: Measured[], rss: RssRow[], siSpawns: Record<string, number>, method: Method): string {
  const { rounds, batchCpuMs, batchMaxWallMs, intervalMs, ticksPerSecond } = method;
  const rows = measured.map(summarise);
  const get = (name: string) => rows.find((r) => r.m.name === name)!;
  const floor = get("floor");
  const ours = get("ours-sync");
  const async = get("ours-async");
  const si = get("systeminformation");
  const nou = get("node-os-utils");
  const label = (m: Measured) => `${LABELS[m.name] ?? m.name}${m.version ? ` ${m.version}` : ""}`;

  const table = [
    "| contender | CPU ms/sample | of which children | vs floor | CPU range over rounds | wall ms/sample | spawns/sample | spawns at start + 1st sample | 1st sample wall ms | samples/batch |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...rows.map((r) =>
      [label(r.m), sig(r.cpu), sig(r.child), ratio(r.cpu, floor.cpu), `${sig(r.low)}-${sig(r.high)}`, sig(r.wall), sig(r.spawns), r.m.first.spawns, sig(r.m.first.wallMs), r.m.batchSize].join(" | "),
    ).map((line) => `| ${line} |`),
  ];
  const bare = rss.find((r) => r.name === "bare");
  const rssTable = [
    "| process | RSS after loading, MiB | after one sample, MiB | loaded minus bare node, MiB |",
    "|---|--:|--:|--:|",
    ...rss.map((r) => `| ${LABELS[r.name] ?? r.name} | ${r.loadedMb.toFixed(1)} | ${r.sampledMb.toFixed(1)} | ${bare ? (r.loadedMb - bare.loadedMb).toFixed(1) : "n/a"} |`),
  ];

  const mark = (ok: boolean) => (ok ? "met" : "**not met**");
  const targets = [
    `- ours <= 2x the floor's CPU: ${mark(ours.cpu <= 2 * floor.cpu)} (${ratio(ours.cpu, floor.cpu)})`,
    `- ours <= 1/5 of the naive systeminformation path's CPU: ${mark(ours.cpu * 5 <= si.cpu)} (ours is 1/${sig(si.cpu / ours.cpu)})`,
    `- 0 child processes per steady-state sample: ${mark(ours.spawns === 0)} (${sig(ours.spawns)})`,
  ];

  const overlap = (a: Row, b: Row) => a.low <= b.high && b.low <= a.high;
  const syncCheaper = ours.cpu < async.cpu;
  const perCall = Object.entries(siSpawns).map(([call, n]) => `${call} ${n}`).join(", ");
  const sentences = [
    `In this run, ours took a median ${sig(ours.cpu)} ms of CPU per sample, ${ratio(ours.cpu, floor.cpu)} the floor of making the same reads without parsing them.`,
    `The naive systeminformation path took about ${sig(si.cpu / ours.cpu)} times as much CPU (${sig(si.cpu)} ms), ${Math.round((100 * si.child) / si.cpu)} % of it in the ${sig(si.spawns)} child processes it starts per sample;`,
    `node-os-utils took ${sig(nou.cpu)} ms and ${sig(nou.spawns)} child processes per sample, and its wall time is mostly the 200 ms its cpu.usage() waits between two /proc/stat reads.`,
    `Sync reads cost ${sig(ours.cpu)} ms per sample against ${sig(async.cpu)} ms through fs.promises.readFile (${ratio(async.cpu, ours.cpu)}), ` +
      (overlap(ours, async)
        ? "but their ranges over the rounds overlap, so this run does not clearly separate them."
        : ours.cpu < async.cpu
          ? "which supports the comment in src/sampling/read.ts that sync reads cost less CPU, at least here."
          : "which does not support the comment in src/sampling/read.ts that sync reads cost less CPU."),
    "These are one machine's numbers; a Pi's slower cores will scale them, and not necessarily evenly.",
  ];
  const gaps = measured.flatMap((m) => m.gaps.map((g) => `${m.name} ${g}`));

  return [
    table.join("\n"),
    "",
    "Resident memory, each in a fresh node process (median of 3):",
    "",
    rssTable.join("\n"),
    "",
    "Targets:",
    "",
    ...targets,
    "",
    sentences.join(" "),
    "",
    "How it was measured:",
    "",
    `- The ${measured.length} contenders run in ${rounds} rounds, round-robin, in one process, each round in a rotated order; the table shows medians over rounds. A batch is sized (after a calibration run) to about ${batchCpuMs / 1000} s of CPU, capped at ${batchMaxWallMs / 1000} s of wall time.`,
    `- CPU is this process's (process.cpuUsage(): the kernel's utime+stime at microsecond resolution, checked against /proc/self/stat each batch) plus its children's, cutime+cstime from /proc/self/stat (${ticksPerSecond} ticks/s) after every child of the batch has exited. process.cpuUsage() alone would leave out the children, where a library that runs df or cat spends most of its CPU.`,
    `- Spawns are child_process calls (spawn, exec, execFile, fork and the sync forms, counted once when one calls another), counted by wrapping them before the libraries load; a shell pipeline starts more processes than it counts. systeminformation's calls start, on this machine: ${perCall}.`,
    `- Date.now() advances ${intervalMs / 1000} s (the agent's default interval) before every sample, so the libraries' time-based caches (systeminformation: currentLoad 200 ms, networkStats 500 ms; node-os-utils: 1-30 s) behave as they would between an agent's samples instead of answering from cache. node-os-utils keeps df's output for 15 s by default, so at this interval some of its samples reuse the previous df output (the spawns column shows how many do not).`,
    "- The first sample after start is measured apart and left out of the medians: systeminformation's first currentLoad() waits 500 ms to get a baseline, and node-os-utils and ours read their first counters.",
    ...(gaps.length ? [`- Metrics a library could not give on this machine: ${gaps.join("; ")}.`] : []),
  ].join("\n");
}
