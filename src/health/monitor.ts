// The sampling loop: sample, assess, apply hysteresis, tell the listener. A sample that throws is "unknown",
// never a crash. Building it only assigns; start() takes the first sample and starts the timer.
import type { Logger } from "../log.js";
import type { HealthSample } from "../sampling/sample.js";
import type { Sampler } from "../sampling/sampler.js";
import { stepHealth, INITIAL_HEALTH, type HealthState, type HysteresisConfig } from "./hysteresis.js";
import { assessHealth, type MetricCheck, type Thresholds } from "./level.js";
import { levelSinceStart, trackLevel } from "./level-since.js";

/** The sampler's first reading is taken when it is built; the first sample comes this much later. */
const FIRST_WINDOW_MS = 250;

export interface HealthSnapshot {
  state: HealthState;
  sample: HealthSample | null;
}

export interface MonitorDeps {
  sampler: Sampler;
  thresholds: Thresholds;
  hysteresis: HysteresisConfig;
  intervalMs: number;
  log: Logger;
  onHealth(snapshot: HealthSnapshot): void;
  /** The owner's checks' latest findings, assessed with each sample (checks/owner-checks.ts). */
  checkFindings?: () => MetricCheck[];
  now?: () => number;
}

export function healthMonitor({ sampler, thresholds, hysteresis, intervalMs, log, onHealth, checkFindings = () => [], now = Date.now }: MonitorDeps) {
  let snapshot: HealthSnapshot = { state: INITIAL_HEALTH, sample: null };
  let tracked = levelSinceStart(now());
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  async function sampleNow(): Promise<HealthSnapshot> {
    let sample: HealthSample | null = null;
    try {
      sample = await sampler.sample();
    } catch (err) {
      log.error({ err: { message: (err as Error).message } }, "sampling failed");
    }
    const assessment = assessHealth(sample, thresholds, checkFindings());
    const state = stepHealth(snapshot.state, assessment, hysteresis, sample?.takenAt ?? Date.now());
    if (state.level !== snapshot.state.level) log.info({ from: snapshot.state.level, to: state.level, reasons: state.reasons }, "health level");
    snapshot = { state, sample };
    tracked = trackLevel(tracked, state.level, now());
    log.debug({ sample, observed: assessment.level }, "sample");
    onHealth(snapshot);
    return snapshot;
  }

  function loop() {
    timer = setTimeout(async () => {
      await sampleNow();
      if (running) loop();
    }, intervalMs);
  }

  return {
    async start() {
      running = true;
      // CPU % is a difference of two readings: give the first one a window to measure
      await new Promise((resolve) => setTimeout(resolve, FIRST_WINDOW_MS));
      await sampleNow();
      loop();
    },
    sampleNow,
    current: () => snapshot,
    /** When the level last changed (XEP-0012): the first sample's time until it changes. */
    levelSince: () => tracked.since,
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
    },
  };
}
