// When to send a presence: on a level change or a material change of the status, at most once per
// `minIntervalMs` (a raise to crit goes out at once); numbers drifting inside a level wait for `refreshMs`.
// Pure: (what was sent, what we would send now, now) -> send or hold.
import type { Level } from "../health/level.js";

export interface Published {
  level: Level;
  status: string;
  at: number;
}

export interface Wanted {
  level: Level;
  status: string;
}

export interface PresenceRules {
  minIntervalMs: number;
  /** 0: numbers alone never cause a presence. */
  refreshMs: number;
}

export type Decision =
  | { send: true; why: "first" | "crit" | "level" | "material" | "refresh" }
  | { send: false; retryAt: number | null };

/** What a status says, numbers aside: "temp 78°C ≥ 75 | CPU 12%" and "temp 79°C ≥ 75 | CPU 30%" say the same. */
export function materialKey(status: string): string {
  return status.replace(/\d+(\.\d+)?/g, "#");
}

export function decidePresence(last: Published | null, wanted: Wanted, now: number, rules: PresenceRules): Decision {
  if (last === null) return { send: true, why: "first" };
  if (wanted.level === last.level && wanted.status === last.status) return { send: false, retryAt: null };
  if (wanted.level === "crit" && last.level !== "crit") return { send: true, why: "crit" };
  const allowedAt = last.at + rules.minIntervalMs;
  if (wanted.level !== last.level || materialKey(wanted.status) !== materialKey(last.status)) {
    return now >= allowedAt ? { send: true, why: wanted.level !== last.level ? "level" : "material" } : { send: false, retryAt: allowedAt };
  }
  if (rules.refreshMs <= 0) return { send: false, retryAt: null };
  const refreshAt = last.at + Math.max(rules.refreshMs, rules.minIntervalMs);
  return now >= refreshAt ? { send: true, why: "refresh" } : { send: false, retryAt: refreshAt };
}
