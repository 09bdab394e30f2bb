// Synthetic health for the fleet benchmark: what a thousand real devices look like to the agent, seeded so two
// runs read the same numbers. Most devices are calm (numbers drift every sample inside "ok"); one in
// FLAPPER_EVERY sits on the CPU warn threshold (85%) and crosses it at random, the noisy device every fleet has;
// in a spike every device reads 97-100% CPU (crit), as when a fleet-wide job starts at once.
import type { HealthSample } from "../src/sampling/sample.js";
import type { Sampler } from "../src/sampling/sampler.js";
import { healthySample } from "../test/support/healthy-sample.js";
import { mulberry32 } from "../test/faults/support/seeded-random.js";

export type FleetMood = "calm" | "spike";

export const FLAPPER_EVERY = 20;

export interface FleetHealth {
  /** Device `index`'s sampler. */
  sampler(index: number): Sampler;
  setMood(mood: FleetMood): void;
  /** Samples taken by all devices so far. */
  taken(): number;
}

export function fleetHealth(seed: number): FleetHealth {
  let mood: FleetMood = "calm";
  let taken = 0;
  return {
    setMood: (next) => (mood = next),
    taken: () => taken,
    sampler(index) {
      const random = mulberry32(seed + index);
      const between = (min: number, max: number) => Math.round(min + random() * (max - min));
      const flapper = index % FLAPPER_EVERY === 0;
      return {
        async sample(): Promise<HealthSample> {
          taken++;
          const cpuPercent = mood === "spike" ? between(97, 100) : flapper ? between(80, 90) : between(5, 35);
          return healthySample({
            takenAt: Date.now(),
            cpuPercent,
            memoryPercent: between(30, 50),
            temperature: { celsius: between(40, 55), source: "synthetic" },
            uptimeSeconds: 86_400 + Math.floor(performance.now() / 1000),
          });
        },
      };
    },
  };
}
