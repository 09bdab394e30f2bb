// A sampler keeps the previous counters (CPU, network) so each sample reports rates since the last one.
// Steady state: a handful of small reads, one statfs per watched mount, no child process.
import type { HealthSample, Throttling } from "./sample.js";
import { cpuPercent, parseOwnTicks, parseProcStat, type CpuTimes } from "./parse/cpu.js";
import { parseLoadavg } from "./parse/loadavg.js";
import { parseMeminfo } from "./parse/meminfo.js";
import { netRates, parseNetDev, type NetCounters } from "./parse/netdev.js";
import { parseUptime } from "./parse/uptime.js";
import { pickTemperature } from "./parse/temperature.js";
import { diskUse } from "./parse/statfs.js";
import { parseMountPoints } from "./parse/mounts.js";
import { NO_THROTTLING_INFO, parseThrottled, throttlingFromBits } from "./parse/throttled.js";
import { findSensors } from "./sensors.js";
import type { SystemFiles } from "./read.js";

/** Percentages to one decimal: more digits are noise, and they bloat every JSON readout. */
const tenth = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);

export interface Sampler {
  sample(): Promise<HealthSample>;
}

export interface SamplerOptions {
  files: SystemFiles;
  disks: string[];
  now?: () => number;
}

export function createSampler({ files, disks, now = Date.now }: SamplerOptions): Sampler {
  const sensors = findSensors(files);
  let cpu: CpuTimes | null = readCpu();
  // The first window holds our own start-up (loading, logging in, reading the device's facts): not the device's load
  let ownAtStart: number | null = readOwnTicks();
  let net: NetCounters | null = readNet();
  let netAt = now();

  function readCpu() {
    const text = files.read("proc/stat");
    return text === null ? null : parseProcStat(text);
  }
  function readOwnTicks() {
    const text = files.read("proc/self/stat");
    return text === null ? null : parseOwnTicks(text);
  }
  function readNet() {
    const text = files.read("proc/net/dev");
    return text === null ? null : parseNetDev(text);
  }

  // A virtual interface that never carried a byte (ifb0, dummy0, an unused bridge) only crowds `status`
  function idleVirtual(iface: string, counters: NetCounters): boolean {
    const c = counters.get(iface);
    return c !== undefined && c.rx === 0 && c.tx === 0 && files.read(`sys/devices/virtual/net/${iface}/ifindex`) !== null;
  }

  function throttling(): Throttling {
    const wordText = sensors.throttledWord && files.read(sensors.throttledWord);
    const bits = wordText ? parseThrottled(wordText) : null;
    const info = bits === null ? { ...NO_THROTTLING_INFO } : throttlingFromBits(bits, "sysfs get_throttled");
    // The hwmon alarm is the kernel's own reading; the sysfs word has been seen stuck at 0 (see docs)
    const alarm = sensors.underVoltageAlarm && files.read(sensors.underVoltageAlarm);
    if (alarm) info.underVoltageNow = { value: alarm.trim() === "1", source: "hwmon rpi_volt in0_lcrit_alarm" };
    return info;
  }

  function ownStartup() {
    const before = ownAtStart;
    ownAtStart = null;
    const now = before === null ? null : readOwnTicks();
    return before === null || now === null ? 0 : Math.max(0, now - before);
  }

  return {
    async sample() {
      const takenAt = now();
      const nextCpu = readCpu();
      const nextNet = readNet();
      const load = parseLoadavg(files.read("proc/loadavg") ?? "");
      const mem = parseMeminfo(files.read("proc/meminfo") ?? "");
      const temperature = pickTemperature(
        sensors.temperatures.map((s) => ({ source: s.source, kind: s.kind, raw: files.read(s.path) ?? "" })),
      );
      const mountsText = disks.length > 0 ? files.read("proc/mounts") : null;
      const mountPoints = mountsText === null ? null : parseMountPoints(mountsText);
      const diskList = await Promise.all(
        disks.map(async (mount) => {
          const mounted = mountPoints === null ? null : mountPoints.has(mount);
          const numbers = mounted === false ? null : await files.statfs(mount);
          return numbers
            ? { mount, mounted, ...diskUse(numbers) }
            : { mount, mounted, usedPercent: null, usedBytes: null, totalBytes: null };
        }),
      );
      const cpuCount = nextCpu?.count || null;
      const sample: HealthSample = {
        takenAt,
        cpuPercent: cpu && nextCpu ? tenth(cpuPercent(cpu, nextCpu, ownStartup())) : null,
        cpuCount,
        load1: load?.load1 ?? null,
        load5: load?.load5 ?? null,
        load15: load?.load15 ?? null,
        loadPerCore: load && cpuCount ? Math.round((load.load1 / cpuCount) * 100) / 100 : null,
        memoryPercent: tenth(mem?.usedPercent),
        memoryTotalBytes: mem?.totalBytes ?? null,
        memoryAvailableBytes: mem?.availableBytes ?? null,
        swapPercent: tenth(mem?.swapPercent),
        swapTotalBytes: mem?.swapTotalBytes ?? null,
        temperature,
        disks: diskList,
        network: nextNet ? netRates(net, nextNet, (takenAt - netAt) / 1000).filter((n) => !idleVirtual(n.iface, nextNet)) : [],
        uptimeSeconds: parseUptime(files.read("proc/uptime") ?? ""),
        throttling: throttling(),
      };
      if (nextCpu) cpu = nextCpu;
      if (nextNet) {
        net = nextNet;
        netAt = takenAt;
      }
      return sample;
    },
  };
}
