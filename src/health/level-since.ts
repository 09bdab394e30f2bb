// Since when the health level has been what it is: XEP-0012's answer for a device ("dnd, 3600 s" reads as
// "critical for an hour"). Pure: (what was tracked, the level now, now) -> what is tracked.
import type { Level } from "./level.js";

export interface LevelSince {
  /** Null before the first sample. */
  level: Level | null;
  since: number;
}

/** Before the first sample: since the agent started. */
export const levelSinceStart = (now: number): LevelSince => ({ level: null, since: now });

export function trackLevel(tracked: LevelSince, level: Level, now: number): LevelSince {
  return level === tracked.level ? tracked : { level, since: now };
}
