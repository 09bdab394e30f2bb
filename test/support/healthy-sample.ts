// A plain healthy sample for unit tests; each test overrides the fields it is about.
import type { HealthSample } from "../../src/sampling/sample.js";
import { NO_THROTTLING_INFO } from "../../src/sampling/parse/throttled.js";

export function healthySample(overrides: Partial<HealthSample> = {}): HealthSample {
  return {
    takenAt: 0,
    cpuPercent: 12,
    cpuCount: 4,
    load1: 0.4,
    load5: 0.3,
    load15: 0.2,
    loadPerCore: 0.1,
    memoryPercent: 40,
    memoryTotalBytes: 1024 ** 3,
    memoryAvailableBytes: 0.6 * 1024 ** 3,
    swapPercent: 0,
    swapTotalBytes: 100 * 1024 ** 2,
    temperature: { celsius: 48.3, source: "thermal_zone0 (cpu-thermal)" },
    disks: [{ mount: "/", mounted: true, usedPercent: 55, usedBytes: 1, totalBytes: 2 }],
    network: [],
    uptimeSeconds: 3 * 86400 + 4 * 3600 + 5,
    throttling: NO_THROTTLING_INFO,
    ...overrides,
  };
}
