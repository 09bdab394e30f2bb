// Hysteresis: a level is raised only after `raiseAfter` consecutive worse samples and cleared only after
// `clearAfter` consecutive better ones, so a value wobbling around a threshold does not flap the presence.
import { SEVERITY, type Assessment, type Level } from "./level.js";

export interface HealthState {
  level: Level;
  reasons: string[];
  /** False until the first sample has been seen. */
  started: boolean;
  /** When the sample behind `reasons` was taken: while a run waits to change the level, they are older than
   * the latest sample. Absent before the first sample or when no time was given. */
  measuredAt?: number;
  /** A run of samples pointing the same way, and the level it would settle on. */
  streak: { direction: "raise" | "clear"; toward: Level; count: number } | null;
}

export interface HysteresisConfig {
  raiseAfter: number;
  clearAfter: number;
}

/** Before the first sample: nothing known yet. Starting at "ok" would claim health not yet measured. */
export const INITIAL_HEALTH: HealthState = { level: "unknown", reasons: ["no sample yet"], started: false, streak: null };

/** `at`: when the observed sample was taken. */
export function stepHealth(previous: HealthState, observed: Assessment, config: HysteresisConfig, at?: number): HealthState {
  // Leaving the initial "unknown" needs no run: the first real sample is the best knowledge we have
  const settled: HealthState = { level: observed.level, reasons: observed.reasons, started: true, streak: null, ...(at === undefined ? {} : { measuredAt: at }) };
  if (!previous.started) return settled;
  const diff = SEVERITY[observed.level] - SEVERITY[previous.level];
  if (diff === 0) return settled;
  const direction = diff > 0 ? "raise" : "clear";
  const run = previous.streak?.direction === direction ? previous.streak : null;
  // Over a run, settle on the level every sample in it reached: the mildest when raising, the worst when clearing
  const toward = !run
    ? observed.level
    : direction === "raise"
      ? mildest(run.toward, observed.level)
      : worst(run.toward, observed.level);
  const count = (run?.count ?? 0) + 1;
  const needed = direction === "raise" ? config.raiseAfter : config.clearAfter;
  if (count >= needed) return { ...settled, level: toward };
  return { ...previous, streak: { direction, toward, count } };
}

const mildest = (a: Level, b: Level) => (SEVERITY[a] <= SEVERITY[b] ? a : b);
const worst = (a: Level, b: Level) => (SEVERITY[a] >= SEVERITY[b] ? a : b);
