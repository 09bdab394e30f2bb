// The watcher's share of the alerts (README, "Alerts"): open problems, acks and reminders. A device has an open
// problem from the note that told it (offline without a clean stop, silent, crit, unreadable) until the next note
// about it (back, ok again, warn, stopped cleanly, or another problem: news again, told and unacked). While any open
// problem is unacked, the operators get one reminder every remindMs naming them all; `ack` acknowledges every open
// one at once. Pure: notes, acks and a clock tick in; what to send out (watch/alerts.ts sends it).
import type { FleetState, Note } from "./fleet.js";
import { shownState } from "./replies.js";

export type ProblemKind = "crit" | "offline" | "silent" | "unreadable";

export interface Problem {
  device: string;
  kind: ProblemKind;
  since: number;
  status: string;
  ackedBy: string | null;
}

export interface ReminderState {
  open: Record<string, Problem>;
  /** When the next reminder is due; null: nothing unacked (or reminders off). */
  remindAt: number | null;
}

export type ReminderEvent =
  | { type: "note"; note: Note }
  /** The fleet as it is now: a problem whose device no longer shows it (a missed recovery) is closed. */
  | { type: "tick"; fleet: FleetState }
  | { type: "ack"; by: string };

export type ReminderAction =
  | { type: "remind"; problems: Problem[] }
  /** `problems`: acked by this ack (none: nothing new); `before`: acked already by someone. */
  | { type: "acked"; by: string; problems: Problem[]; before: Problem[] };

export const NO_PROBLEMS: ReminderState = { open: {}, remindAt: null };

/** Reminders every alerts.remindMinutes (0: none), but never before the digest that first tells the problem has
 * gone out: a reminder timed from the problem would otherwise reach a phone before the news it reminds of. */
export function reminderInterval(remindMinutes: number, digestSeconds: number): number {
  return remindMinutes <= 0 ? 0 : Math.max(remindMinutes * 60_000, (digestSeconds + 1) * 1000);
}

/** The problem a note tells, or null for news that ends one. */
export function problemOf(note: Note): ProblemKind | null {
  if (note.kind === "offline" || note.kind === "silent") return note.kind;
  if (note.kind === "level" && note.level === "crit") return "crit";
  if (note.kind === "level" && note.level === "unknown") return "unreadable";
  return null;
}

const STILL_BAD = new Set(["crit", "offline", "silent", "unreadable", "not seen"]);

export function reminderStep(state: ReminderState, event: ReminderEvent, now: number, remindMs: number): { state: ReminderState; actions: ReminderAction[] } {
  const actions: ReminderAction[] = [];
  const open = { ...state.open };
  if (event.type === "note") {
    const kind = problemOf(event.note);
    if (kind) open[event.note.device] = { device: event.note.device, kind, since: event.note.at, status: event.note.status, ackedBy: null };
    else delete open[event.note.device];
  } else if (event.type === "ack") {
    const all = Object.values(open);
    const problems = all.filter((p) => p.ackedBy === null).map((p) => ({ ...p, ackedBy: event.by }));
    for (const p of problems) open[p.device] = p;
    actions.push({ type: "acked", by: event.by, problems, before: all.filter((p) => p.ackedBy !== null) });
  } else {
    for (const device of Object.keys(open)) {
      const d = event.fleet[device];
      if (!d || !STILL_BAD.has(shownState(d))) delete open[device];
    }
  }
  const unacked = Object.values(open).filter((p) => p.ackedBy === null);
  let remindAt = unacked.length === 0 || remindMs <= 0 ? null : (state.remindAt ?? now + remindMs);
  if (event.type === "tick" && remindAt !== null && now >= remindAt) {
    actions.push({ type: "remind", problems: unacked });
    remindAt = now + remindMs;
  }
  return { state: { open, remindAt }, actions };
}
