// Scenario: a Pi Zero's share. Start to the first presence an operator sees, and steady-state RSS, for the agent
// as the unit runs it against a bare @xmpp/client process (node's default flags), twice: on this machine as it
// is, and with both under a CPU quota of a fifth of one core (bench/cpu-quota.ts: a cgroup made and removed
// here; root only, skipped with a note otherwise). Starts alternate round-robin in a rotated order, so the
// shared machine's noise hits both alike. --rounds (default 7), --seconds of the RSS window (default 60).
import { loadavg } from "node:os";
import { makeCpuQuota } from "./cpu-quota.js";
import { procMemory, type ChildRun } from "./online-process.js";
import { benchOption } from "./options.js";
import { processCpu } from "./process-cpu.js";
import { startScene, type Contender, type Scene } from "./pizero-scene.js";
import { pizeroReport, type Condition } from "./pizero-report.js";
import { median } from "./stats.js";
import type { ScenarioResult } from "./run.js";

const SHARE = 0.2;
const log = (line: string) => process.stderr.write(`[pizero] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(scene: Scene, name: string, procs: string | undefined, rounds: number, seconds: number): Promise<Condition> {
  const list = [scene.agent, scene.floor];
  const startMs = list.map(() => [] as number[]);
  const load: number[] = [loadavg()[0]!];
  for (let round = -1; round < rounds; round++) {
    for (let i = 0; i < list.length; i++) {
      const k = (Math.abs(round) + i) % list.length;
      const { ms, child } = await scene.online(list[k]!, procs);
      if (round >= 0) startMs[k]!.push(ms); // round -1 warms the disk cache and Prosody
      await scene.offline(list[k]!, child);
    }
    if (round >= 0) log(`${name}: start round ${round + 1}/${rounds}: ${startMs.map((t) => t.at(-1)!.toFixed(0)).join(" / ")} ms`);
  }
  // Side by side, online one after the other (under the quota they share it), then the window
  const running: [Contender, ChildRun][] = [];
  try {
    for (const c of list) running.push([c, (await scene.online(c, procs)).child]);
    await sleep(5000); // the first samples, the roster: start-up settles before the window opens
    const cpu = running.map(([, child]) => processCpu(child.pid));
    const before = cpu.map((p) => p.now());
    const rss = list.map(() => [] as number[]);
    for (let s = 1; s <= seconds; s++) {
      await sleep(1000);
      running.forEach(([, child], k) => rss[k]!.push(procMemory(child.pid).rss));
    }
    load.push(loadavg()[0]!);
    log(`${name}: RSS ${rss.map((r) => (median(r.slice(-5)) / 1024).toFixed(1)).join(" / ")} MiB`);
    return {
      name,
      load,
      contenders: list.map((c, k) => {
        const now = cpu[k]!.now();
        const ticks = now.self + now.children - before[k]!.self - before[k]!.children;
        return { name: c.name, startMs: startMs[k]!, rssKiB: median(rss[k]!.slice(-5)), cpuPct: (100 * ticks) / cpu[k]!.ticksPerSecond / seconds };
      }),
    };
  } finally {
    await Promise.all(running.map(([c, child]) => scene.offline(c, child)));
  }
}

export async function run(): Promise<ScenarioResult> {
  const rounds = benchOption("rounds", 7);
  const seconds = benchOption("seconds", 60);
  const scene = await startScene();
  const conditions: Condition[] = [];
  let skipped: string | null = null;
  try {
    conditions.push(await measure(scene, "this machine, no quota", undefined, rounds, seconds));
    const quota = makeCpuQuota(SHARE);
    if ("skipped" in quota) {
      skipped = quota.skipped;
      log(`no quota: ${skipped}`);
    } else {
      try {
        conditions.push(await measure(scene, `under a quota: ${quota.describe}`, quota.procs, rounds, seconds));
      } finally {
        quota.remove();
      }
    }
  } finally {
    await scene.stop();
  }
  return { name: "pizero", title: "A Pi Zero's share: start-up and memory on a throttled core", markdown: pizeroReport(conditions, { rounds, seconds, skipped }) };
}
