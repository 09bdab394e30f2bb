// Scenario: the cost of one health sample. Ours against the floor (the same reads, no parsing), ours with async
// reads, a naive systeminformation agent and node-os-utils, interleaved round-robin in one process so a noisy
// neighbour hits them all alike. CPU includes child processes (/proc/self/stat cutime+cstime).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { installSpawnCounter, type SpawnCounter } from "./spawn-counter.js";
import { processCpu, type ProcessCpu } from "./process-cpu.js";
import { buildContender, CONTENDERS, filesReadPerSample, type Contender, type ContenderName } from "./sampling-contenders.js";
import { samplingReport, type Batch, type Measured, type RssRow } from "./sampling-report.js";
import { median } from "./stats.js";
import type { ScenarioResult } from "./run.js";

const ROUNDS = 5;
/** CPU per batch: 0.4 s is 40 ticks at 100 Hz, so one tick of rounding is 2.5 %. */
const BATCH_CPU_MS = 400;
/** node-os-utils needs 200 ms of wall per sample: 8 s gives it ~40 samples, so its children's ticks add up. */
const BATCH_MAX_WALL_MS = 8000;
/** The agent's default sampling.intervalSeconds: each sample sees the clock move this far. */
const INTERVAL_MS = 10_000;

const log = (line: string) => process.stderr.write(`[sampling] ${line}\n`);

export async function run(): Promise<ScenarioResult> {
  // Before any library is loaded: they keep their own references to child_process's functions
  const counter = installSpawnCounter();
  const cpu = processCpu();
  const clock = simulatedClock();
  try {
    const paths = await filesReadPerSample();
    log(`our sampler reads ${paths.length} files per sample: ${paths.join(", ")}`);
    const contenders: Contender[] = [];
    const measured = new Map<ContenderName, Measured>();
    for (const name of CONTENDERS) {
      const spawns0 = counter.spawned;
      const contender = await buildContender(name, paths); // loads the library
      const t0 = performance.now();
      clock.advance(INTERVAL_MS);
      await contender.sample();
      const first = { wallMs: performance.now() - t0, spawns: counter.spawned - spawns0 };
      contenders.push(contender);
      measured.set(name, { name, version: contender.version, first, batches: [], batchSize: 0, gaps: [] });
      log(`${name}: first sample ${first.wallMs.toFixed(0)} ms wall, ${first.spawns} spawns`);
    }
    const siSpawns = await systeminformationSpawnsPerCall(counter, clock);

    for (const c of contenders) {
      const m = measured.get(c.name as ContenderName)!;
      m.batchSize = await calibrate(c, counter, cpu, clock);
      log(`${c.name}: ${m.batchSize} samples per batch`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no contender always runs right after the same one
      for (let i = 0; i < contenders.length; i++) {
        const c = contenders[(round + i) % contenders.length]!;
        const m = measured.get(c.name as ContenderName)!;
        m.batches.push(await batch(c, m.batchSize, counter, cpu, clock));
      }
      log(`round ${round + 1}/${ROUNDS} done`);
    }
    for (const c of contenders) {
      measured.get(c.name as ContenderName)!.gaps = c.gaps;
      c.close();
    }
    clock.restore();
    const rss = await measureRss();
    const method = { rounds: ROUNDS, batchCpuMs: BATCH_CPU_MS, batchMaxWallMs: BATCH_MAX_WALL_MS, intervalMs: INTERVAL_MS, ticksPerSecond: cpu.ticksPerSecond };
    return { name: "sampling", title: "Sampling: cost of one health sample", markdown: samplingReport([...measured.values()], rss, siSpawns, method) };
  } finally {
    clock.restore();
  }
}

async function batch(c: Contender, n: number, counter: SpawnCounter, cpu: ProcessCpu, clock: { advance(ms: number): void }): Promise<Batch> {
  await counter.settled();
  const spawns0 = counter.spawned;
  const ticks0 = cpu.now();
  const usage0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    clock.advance(INTERVAL_MS);
    await c.sample();
  }
  const wallMs = performance.now() - t0;
  await counter.settled(); // a child still running belongs to this batch's CPU
  const usage = process.cpuUsage(usage0);
  const ticks1 = cpu.now();
  const msPerTick = 1000 / cpu.ticksPerSecond;
  // This process: the same kernel counters as utime+stime, but in microseconds instead of 10 ms ticks
  const selfMs = (usage.user + usage.system) / 1000;
  const statSelfMs = (ticks1.self - ticks0.self) * msPerTick;
  if (Math.abs(statSelfMs - selfMs) > Math.max(3 * msPerTick, 0.15 * selfMs)) {
    log(`${c.name}: utime+stime says ${statSelfMs} ms, process.cpuUsage() ${selfMs.toFixed(1)} ms`);
  }
  const childMs = (ticks1.children - ticks0.children) * msPerTick;
  return { samples: n, selfMs, childMs, wallMs, spawns: counter.spawned - spawns0 };
}

/** Samples per batch: enough CPU that tick rounding is small, few enough that a slow library fits the budget. */
async function calibrate(c: Contender, counter: SpawnCounter, cpu: ProcessCpu, clock: { advance(ms: number): void }): Promise<number> {
  let n = 1;
  for (;;) {
    const b = await batch(c, n, counter, cpu, clock);
    const cpuMs = Math.max(b.selfMs + b.childMs, 0.001);
    if (b.wallMs >= 150 || n >= 4096) {
      const byCpu = Math.ceil((BATCH_CPU_MS * n) / cpuMs);
      const byWall = Math.floor((BATCH_MAX_WALL_MS * n) / b.wallMs);
      return Math.max(5, Math.min(byCpu, byWall, 20_000));
    }
    n *= 2;
  }
}

/**
 * Which of the five calls start child processes. Also the check that the spawn column is worth reading: fsSize
 * runs df, so a counter that sees nothing there was installed too late.
 */
async function systeminformationSpawnsPerCall(counter: SpawnCounter, clock: { advance(ms: number): void }) {
  const si = (await import("systeminformation")).default;
  const calls = { currentLoad: si.currentLoad, mem: si.mem, cpuTemperature: si.cpuTemperature, fsSize: si.fsSize, networkStats: si.networkStats };
  const spawns: Record<string, number> = {};
  for (const [name, call] of Object.entries(calls)) {
    clock.advance(INTERVAL_MS);
    const before = counter.spawned;
    await (call as () => Promise<unknown>)();
    spawns[name] = counter.spawned - before;
  }
  if (!spawns.fsSize) {
    throw new Error("spawn counter saw no child process from systeminformation.fsSize(): it was installed after the library loaded");
  }
  log(`systeminformation spawns per call: ${JSON.stringify(spawns)}`);
  return spawns;
}

/**
 * Date.now() moves INTERVAL_MS per sample, as it would between an agent's samples. Both libraries cache by
 * Date.now() (systeminformation: currentLoad 200 ms, networkStats 500 ms; node-os-utils: 1-30 s), and in a
 * tight loop they would serve cached values an agent sampling every 10 s never sees.
 */
function simulatedClock() {
  const real = Date.now;
  let offset = 0;
  Date.now = () => real() + offset;
  return {
    advance(ms: number) {
      offset += ms;
    },
    restore() {
      Date.now = real;
    },
  };
}

const execFileAsync = promisify(execFile);

/** RSS of a fresh node per library, three times each, median; in series so they do not compete. */
async function measureRss(): Promise<RssRow[]> {
  const probe = fileURLToPath(new URL("./sampling-rss-probe.js", import.meta.url));
  const rows: RssRow[] = [];
  for (const name of ["bare", "ours-sync", "systeminformation", "node-os-utils"]) {
    const runs: { loaded: number; sampled: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const { stdout } = await execFileAsync(process.execPath, [probe, name], { timeout: 30_000 });
      runs.push(JSON.parse(stdout) as { loaded: number; sampled: number });
    }
    rows.push({ name, loadedMb: median(runs.map((r) => r.loaded)) / 2 ** 20, sampledMb: median(runs.map((r) => r.sampled)) / 2 ** 20 });
    log(`RSS ${name}: ${rows.at(-1)!.loadedMb.toFixed(1)} MiB loaded`);
  }
  return rows;
}
