// The soak's readings: runs of 1 to 8 samples in one state (healthy, hot, busy CPU, full memory, full disk),
// numbers jittering inside it. With raiseAfter and clearAfter at 3, every run of 3 or more in another state
// changes the level or the reasons, so 100,000 samples make thousands of presence changes. Seeded: the same
// seed gives the same readings.
import type { HealthSample } from "../../../src/sampling/sample.js";
import { prng } from "./hostile-stanzas.js";

const STATES: ((r: (min: number, max: number) => number) => Partial<HealthSample>)[] = [
  (r) => ({ cpuPercent: r(5, 60) }), // ok
  (r) => ({ cpuPercent: r(5, 60), temperature: { celsius: r(70, 79), source: "thermal_zone0 (cpu-thermal)" } }), // warn: temp
  (r) => ({ cpuPercent: r(85, 94) }), // warn: CPU
  (r) => ({ cpuPercent: r(5, 60), memoryPercent: r(95, 99) }), // crit: RAM
  (r) => ({ cpuPercent: r(5, 60), disks: [{ mount: "/", mounted: true, usedPercent: r(85, 94), usedBytes: 1, totalBytes: 2 }] }), // warn: disk
  (r) => ({ cpuPercent: r(5, 60), temperature: { celsius: r(80, 90), source: "thermal_zone0 (cpu-thermal)" } }), // crit: temp
];

export function soakReadings(seed: number) {
  const rng = prng(seed);
  const r = (min: number, max: number) => Math.round((min + rng.next() * (max - min)) * 10) / 10;
  let state = 0;
  let left = 0;
  return (): Partial<HealthSample> => {
    if (left === 0) {
      state = rng.chance(0.4) ? 0 : rng.int(0, STATES.length - 1);
      left = rng.int(1, 8);
    }
    left--;
    return STATES[state]!(r);
  };
}
