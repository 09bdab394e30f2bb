// The ways to take one health sample that bench/sampling.bench.ts compares. Each contender loads its code when
// it is built (dynamic import), so the spawn counter can be installed first and the RSS probe can start bare.
import { readFileSync } from "node:fs";
import { readFile, statfs } from "node:fs/promises";
import { join } from "node:path";
import type { SystemFiles } from "../src/sampling/read.js";

export interface Contender {
  name: string;
  /** The library's version, where there is a library. */
  version?: string;
  sample(): Promise<unknown>;
  /** Metrics the library could not give on this machine (found on the first sample). */
  gaps: string[];
  close(): void;
}

export const CONTENDERS = ["floor", "ours-sync", "ours-async", "systeminformation", "node-os-utils"] as const;
export type ContenderName = (typeof CONTENDERS)[number];

const DISKS = ["/"];

/** The files our sampler reads per sample on this machine (thermal zones and Pi files only where they exist). */
export async function filesReadPerSample(): Promise<string[]> {
  const { createSampler } = await import("../src/sampling/sampler.js");
  const { systemFiles } = await import("../src/sampling/read.js");
  const base = systemFiles("/");
  const seen: string[] = [];
  let recording = false;
  const files: SystemFiles = { ...base, read: (path) => (recording && seen.push(path), base.read(path)) };
  const sampler = createSampler({ files, disks: DISKS });
  recording = true;
  await sampler.sample();
  return seen;
}

export async function buildContender(name: ContenderName, paths: string[]): Promise<Contender> {
  const plain = (sample: () => Promise<unknown>, close = () => {}): Contender => ({ name, sample, gaps: [], close });
  switch (name) {
    case "floor":
      // The same syscalls as ours and nothing else: read each file, statfs each mount, parse nothing
      return plain(async () => {
        for (const path of paths) {
          try {
            readFileSync(join("/", path), "utf8");
          } catch {
            // a missing file costs its failed open, as in ours
          }
        }
        await Promise.all(DISKS.map((mount) => statfs(mount)));
      });
    case "ours-sync": {
      const { createSampler } = await import("../src/sampling/sampler.js");
      const { systemFiles } = await import("../src/sampling/read.js");
      const sampler = createSampler({ files: systemFiles("/"), disks: DISKS });
      return plain(() => sampler.sample());
    }
    case "ours-async":
      return oursWithAsyncReads(name, paths);
    case "systeminformation": {
      const si = (await import("systeminformation")).default;
      // A naive agent: the five obvious calls, every sample
      const sample = () => Promise.all([si.currentLoad(), si.mem(), si.cpuTemperature(), si.fsSize(), si.networkStats()]);
      return { ...plain(sample), version: si.version() };
    }
    case "node-os-utils":
      return nodeOsUtils(name);
  }
}

// SystemFiles.read is synchronous, so "async reads" means: fetch every file the sample needs through
// fs.promises.readFile (libuv's thread pool, in parallel), then hand the texts to the unchanged sampler.
async function oursWithAsyncReads(name: ContenderName, paths: string[]): Promise<Contender> {
  const { createSampler } = await import("../src/sampling/sampler.js");
  const { systemFiles } = await import("../src/sampling/read.js");
  const base = systemFiles("/");
  let fetched: Map<string, string | null> | null = null;
  const files: SystemFiles = {
    ...base,
    read(path) {
      if (fetched === null) return base.read(path); // construction: sensor discovery and first counters
      if (!fetched.has(path)) throw new Error(`ours-async: ${path} was read but not fetched; the path list is stale`);
      return fetched.get(path) ?? null;
    },
  };
  const sampler = createSampler({ files, disks: DISKS });
  const sample = async () => {
    const texts = await Promise.all(paths.map((p) => readFile(join("/", p), "utf8").catch(() => null)));
    fetched = new Map(paths.map((p, i) => [p, texts[i] ?? null]));
    return sampler.sample();
  };
  return { name, sample, gaps: [], close() {} };
}

async function nodeOsUtils(name: ContenderName): Promise<Contender> {
  const { createOSUtils, version } = await import("node-os-utils");
  const osu = createOSUtils({ cpu: { includeTemperature: true }, memory: { includeSwap: true } });
  const gaps = new Set<string>();
  // The same metrics as ours, as far as it offers them; cpu.usage() waits 200 ms between two /proc/stat reads
  const calls = {
    "cpu.usage": () => osu.cpu.usage(),
    "cpu.loadAverage": () => osu.cpu.loadAverage(),
    "memory.info": () => osu.memory.info(),
    "memory.swap": () => osu.memory.swap(), // info() has no swap
    "cpu.temperature": () => osu.cpu.temperature(),
    "disk.usageByMountPoint('/')": () => osu.disk.usageByMountPoint("/"),
    "network.statsAsync": () => osu.network.statsAsync(),
    "system.uptime": () => osu.system.uptime(),
  };
  const sample = async () => {
    const results = await Promise.all(Object.values(calls).map((call) => call()));
    Object.keys(calls).forEach((key, i) => {
      const r = results[i];
      if (!r) return;
      if (!r.success) gaps.add(`${key}: ${r.error.message}`);
      else if (r.data === null || (Array.isArray(r.data) && r.data.length === 0)) gaps.add(`${key}: no data`);
    });
    return results;
  };
  return {
    name,
    version,
    sample,
    get gaps() {
      return [...gaps];
    },
    close: () => osu.destroy(),
  };
}
