// fleet.announce: one line in the room when the level changes, "pi-42: warn → crit: temp 85°C ≥ 80", at most one
// per `minIntervalMs`; a change held back goes out when the interval ends, if the level still differs from the
// last one told (a flap inside the interval says nothing). Pure: (state, wanted level, now) -> say or wait.
import type { Level } from "../health/level.js";

export interface AnnounceState {
  /** The level the room last heard of; null before the first one (the join presence tells it). */
  told: Level | null;
  at: number;
}

export const NOTHING_TOLD: AnnounceState = { told: null, at: -Infinity };

export type AnnounceStep =
  | { state: AnnounceState; say: { from: Level; to: Level }; retryAt: null }
  | { state: AnnounceState; say: null; retryAt: number | null };

export function nextAnnouncement(state: AnnounceState, level: Level, now: number, minIntervalMs: number): AnnounceStep {
  if (state.told === null) return { state: { ...state, told: level }, say: null, retryAt: null };
  if (level === state.told) return { state, say: null, retryAt: null };
  const allowedAt = state.at + minIntervalMs;
  if (now < allowedAt) return { state, say: null, retryAt: allowedAt };
  return { state: { told: level, at: now }, say: { from: state.told, to: level }, retryAt: null };
}

export function announcementLine(nick: string, from: Level, to: Level, reasons: string[]): string {
  return `${nick}: ${from} → ${to}${reasons.length > 0 ? `: ${reasons.join(", ")}` : ""}`;
}
