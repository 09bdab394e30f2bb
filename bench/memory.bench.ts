// Scenario: does the agent's memory stay flat? The agent as the unit runs it and a bare @xmpp/client process
// (node's default flags) side by side, both online, RSS of each read once a second for --minutes (default 6;
// `npm run bench -- memory --minutes 60` for the hour), CPU over the same window. Flat: every reading after
// the 5-minute mark within 2 MiB of the reading at 5 minutes (or at half the window, if shorter).
import { processCpu } from "./process-cpu.js";
import { procMemory } from "./online-process.js";
import { benchOption } from "./options.js";
import { startScene } from "./pizero-scene.js";
import { memoryReport, type MemoryTrace } from "./memory-report.js";
import type { ScenarioResult } from "./run.js";

const log = (line: string) => process.stderr.write(`[memory] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<ScenarioResult> {
  const minutes = benchOption("minutes", 6);
  const scene = await startScene();
  const running: { c: typeof scene.agent; child: Awaited<ReturnType<typeof scene.online>>["child"] }[] = [];
  try {
    for (const c of [scene.agent, scene.floor]) running.push({ c, child: (await scene.online(c)).child });
    const traces: MemoryTrace[] = running.map(({ c }) => ({ name: c.name, rssKiB: [], cpuTicks: 0, ticksPerSecond: 100 }));
    const cpu = running.map(({ child }) => processCpu(child.pid));
    const before = cpu.map((p) => p.now());
    const load: number[] = [];
    const t0 = performance.now();
    for (let s = 1; s <= minutes * 60; s++) {
      // One reading a second on the wall clock, not drifting with the reads themselves
      await sleep(Math.max(0, t0 + s * 1000 - performance.now()));
      running.forEach(({ child }, k) => traces[k]!.rssKiB.push(procMemory(child.pid).rss));
      if (s % 60 === 0) {
        load.push(Number((await import("node:os")).loadavg()[0]!.toFixed(2)));
        log(`${s / 60}/${minutes} min: RSS ${traces.map((t) => (t.rssKiB.at(-1)! / 1024).toFixed(1)).join(" / ")} MiB, load ${load.at(-1)}`);
      }
    }
    running.forEach(({ child }, k) => {
      const now = cpu[k]!.now();
      traces[k]!.cpuTicks = now.self + now.children - before[k]!.self - before[k]!.children;
      traces[k]!.ticksPerSecond = cpu[k]!.ticksPerSecond;
    });
    return { name: "memory", title: "Memory over a long run: the agent against a bare client", markdown: memoryReport(traces, { minutes, load }) };
  } finally {
    await Promise.all(running.map(({ c, child }) => scene.offline(c, child)));
    await scene.stop();
  }
}
