// The fleet as the watcher sees it, the decisions: from each device's presence and its answers to our pings,
// what to tell the operators. A device cannot report its own death; this is who does. Pure: watch/index.ts feeds
// it presences, ping results and a clock tick, and sends the notes it returns (through the digest).
//
// A device's `seen`:
//   unknown   no presence since the watcher's session began (not online, or not told yet)
//   online    available; `level` from its <show> (presence/show.ts), `status` its status line
//   leaving   unavailable without "stopping: ...": told as offline after OFFLINE_GRACE_MS unless back by then
//   offline   told: gone without a clean stop (crash, kill -9, power or link lost where the server noticed)
//   stopped   unavailable with "stopping: ...": told plainly, not as an alarm
// And `silent`: online by its presence but SILENT_AFTER pings in a row unanswered (power cut, dead link, a hung
// process): the server has not noticed yet, the pings have.
// Events: available, unavailable, pong, pingLost, tick, sessionStarted. Actions: note (for the digest).
import type { Level } from "../health/level.js";

/** An unclean unavailable is told only if the device is not back by then: a broken link's reconnect is no news. */
export const OFFLINE_GRACE_MS = 20_000;
/** Unanswered pings in a row that make a device silent: with watch.pingSeconds 30, told within 90 s. */
export const SILENT_AFTER = 2;

export type Seen = "unknown" | "online" | "leaving" | "offline" | "stopped";
export type NoteKind = "offline" | "silent" | "stopped" | "back" | "level";

export interface DeviceState {
  seen: Seen;
  /** The full JID its last available presence came from: what we ping. */
  full: string | null;
  level: Level | null;
  status: string;
  /** When `seen` or the level last changed. */
  since: number;
  /** Its last presence. */
  lastSeen: number;
  /** Its last answer to a ping. */
  lastAnswer: number;
  misses: number;
  silent: boolean;
}

export type FleetState = Record<string, DeviceState>;

export interface Note {
  device: string;
  kind: NoteKind;
  level: Level | null;
  status: string;
  at: number;
}

export type FleetEvent =
  | { type: "available"; device: string; full: string; show: string | null; status: string }
  | { type: "unavailable"; device: string; status: string }
  | { type: "pong"; device: string }
  | { type: "pingLost"; device: string }
  | { type: "tick" }
  /** The watcher's own new session: what it knew is stale, the server sends every online device's presence again. */
  | { type: "sessionStarted" };

export type FleetAction = { type: "note"; note: Note };

const LEVEL_FOR_SHOW: Record<string, Level> = { away: "warn", dnd: "crit", xa: "unknown" };

export function levelOfShow(show: string | null): Level {
  return (show && LEVEL_FOR_SHOW[show]) || "ok";
}

export function isCleanStop(status: string): boolean {
  return status.startsWith("stopping");
}

export function initialFleet(devices: string[], now: number): FleetState {
  return Object.fromEntries(devices.map((d) => [d, newDevice(now)]));
}

function newDevice(now: number): DeviceState {
  return { seen: "unknown", full: null, level: null, status: "", since: now, lastSeen: 0, lastAnswer: 0, misses: 0, silent: false };
}

export function fleetStep(state: FleetState, event: FleetEvent, now: number): { state: FleetState; actions: FleetAction[] } {
  const actions: FleetAction[] = [];
  const note = (device: string, d: DeviceState, kind: NoteKind) => actions.push({ type: "note", note: { device, kind, level: d.level, status: d.status, at: now } });

  if (event.type === "sessionStarted") {
    const next: FleetState = {};
    // Told states stay (a device told offline and still offline is no news); the rest is learnt again
    for (const [device, d] of Object.entries(state)) next[device] = d.seen === "offline" || d.seen === "stopped" ? d : { ...newDevice(now), level: d.level };
    return { state: next, actions };
  }
  if (event.type === "tick") {
    const next = { ...state };
    for (const [device, d] of Object.entries(state)) {
      if (d.seen !== "leaving" || now - d.since < OFFLINE_GRACE_MS) continue;
      next[device] = { ...d, seen: "offline" };
      note(device, next[device]!, "offline");
    }
    return { state: next, actions };
  }
  const previous = state[event.device];
  if (!previous) return { state, actions }; // not one of ours
  const d = { ...previous };
  switch (event.type) {
    case "available": {
      const level = levelOfShow(event.show);
      const wasAway = d.seen === "offline" || d.seen === "stopped" || d.silent;
      const levelChanged = d.level !== null ? level !== d.level : level !== "ok";
      if (d.seen !== "online") d.since = now;
      Object.assign(d, { seen: "online", full: event.full, status: event.status, lastSeen: now, misses: 0, silent: false });
      if (levelChanged) d.since = now;
      d.level = level;
      if (wasAway) note(event.device, d, "back");
      else if (levelChanged) note(event.device, d, "level");
      break;
    }
    case "unavailable":
      if (d.seen === "unknown" || d.seen === "offline" || d.seen === "stopped") break;
      Object.assign(d, { status: event.status, lastSeen: now, since: now, misses: 0, full: null });
      if (isCleanStop(event.status)) {
        d.seen = "stopped";
        d.silent = false;
        note(event.device, d, "stopped");
      } else if (d.silent) {
        d.seen = "offline"; // told as silent already: the server has now noticed too
      } else {
        d.seen = "leaving";
      }
      break;
    case "pong":
      d.lastAnswer = now;
      d.misses = 0;
      if (d.silent && d.seen === "online") {
        d.silent = false;
        note(event.device, d, "back");
      }
      break;
    case "pingLost":
      if (d.seen !== "online" || d.silent) break;
      d.misses++;
      if (d.misses >= SILENT_AFTER) {
        d.silent = true;
        note(event.device, d, "silent");
      }
      break;
  }
  return { state: { ...state, [event.device]: d }, actions };
}
