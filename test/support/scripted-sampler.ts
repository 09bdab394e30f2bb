// The test seam for health: a sampler whose next readings the test sets, so thresholds can be crossed
// on demand while everything else (hysteresis, presence, XMPP) is real.
import type { HealthSample } from "../../src/sampling/sample.js";
import type { Sampler } from "../../src/sampling/sampler.js";
import { healthySample } from "./healthy-sample.js";

export function scriptedSampler(initial: Partial<HealthSample> = {}) {
  let next = healthySample(initial);
  let taken = 0;
  const sampler: Sampler = {
    async sample() {
      taken++;
      return { ...next, takenAt: Date.now() };
    },
  };
  return {
    sampler,
    set(overrides: Partial<HealthSample>) {
      next = healthySample(overrides);
    },
    taken: () => taken,
  };
}
