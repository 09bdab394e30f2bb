// An alert's life, as a pure step(state, event, now, rules) -> { state, actions }. The driver (index.ts)
// performs the actions: sends, timers. Messages are the difference between what the operators were last told
// and the truth, so silence, flapping and recovery all come down to "say what changed, when allowed to".
//
// States (of `alert` and `flapping`):
//   quiet      no alert: the level (after hysteresis) is ok
//   open       warn, crit or unreadable: operators told; a reminder every remindMs until acked
//   acked      open and acknowledged by someone: no reminders; the recovery is still announced
//   flapping   the level changed more than flapChanges times within flapMs: one "flapping" message, then
//              nothing per change until the level has held for flapMs; then the level it settled on (or ok)
//   silenced   maintenance (any of the above underneath): nothing is sent; on unsilence, what changed is
// Who hears a message is the driver's business: each operator from the alert's worst level on (`reach`).
import { SEVERITY, type Level } from "../health/level.js";

/** What operators are told a device is: a level, or that it keeps changing. */
export type Shown = Level | "flapping";

export interface Alert {
  id: string;
  opened: number;
  level: Level;
  reasons: string[];
  /** When the level last changed. */
  since: number;
  worst: Level;
  ackedBy: string | null;
  /** When the next reminder is due; null: none (acked, or reminders off). */
  remindAt: number | null;
}

/** What the operators last heard: an alert at a level, or nothing (all fine). */
export interface Told {
  id: string;
  shown: Shown;
  opened: number;
  worst: Level;
}

export interface AlertState {
  level: Level;
  alert: Alert | null;
  told: Told | null;
  /** Times of the level changes within the flapping window. */
  changes: number[];
  flapping: boolean;
  silenced: boolean;
}

export type AlertEvent =
  | { type: "health"; level: Level; reasons: string[] }
  | { type: "tick" }
  | { type: "ack"; by: string; id?: string }
  | { type: "silence"; on: boolean };

export type MessageKind = "open" | "update" | "recovered" | "remind" | "flapping" | "acked";

export interface AlertMessage {
  kind: MessageKind;
  alert: Alert;
  /** The level operators were told before this message (update), or the level that ended (recovered). */
  was?: Shown;
  /** Level changes within the window (flapping). */
  changes?: number;
  /** Who acknowledged (acked; sent to everyone else the alert reached). */
  by?: string;
}

export type AlertAction =
  | { type: "send"; message: AlertMessage; reach: Level; except?: string }
  | { type: "reply"; text: string }
  | { type: "wake"; at: number | null };

export interface AlertRules {
  /** 0: no reminders. */
  remindMs: number;
  flapChanges: number;
  flapMs: number;
}

export const QUIET: AlertState = { level: "ok", alert: null, told: null, changes: [], flapping: false, silenced: false };

/** Four base-36 characters from the second it opened: unique for 19 days, short to type on a phone. */
export function alertId(now: number, previous: string | null): string {
  const id = (Math.floor(now / 1000) % 36 ** 4).toString(36).padStart(4, "0");
  return id === previous ? (((parseInt(id, 36) + 1) % 36 ** 4).toString(36)).padStart(4, "0") : id;
}

const worse = (a: Level, b: Level) => (SEVERITY[a] >= SEVERITY[b] ? a : b);

export function step(state: AlertState, event: AlertEvent, now: number, rules: AlertRules): { state: AlertState; actions: AlertAction[] } {
  let next = state;
  const actions: AlertAction[] = [];
  switch (event.type) {
    case "health": {
      const changed = event.level !== state.level;
      const changes = changed ? [...state.changes.filter((t) => now - t < rules.flapMs), now] : state.changes.filter((t) => now - t < rules.flapMs);
      let alert = state.alert;
      if (alert) alert = { ...alert, level: event.level, reasons: event.reasons, since: changed ? now : alert.since, worst: worse(alert.worst, event.level) };
      else if (event.level !== "ok") {
        alert = { id: alertId(now, state.told?.id ?? null), opened: now, level: event.level, reasons: event.reasons, since: now, worst: event.level, ackedBy: null, remindAt: null };
      }
      const flapping = state.flapping || changes.length > rules.flapChanges;
      // The alert ends at ok, unless the level is still flapping
      if (alert && alert.level === "ok" && !flapping) alert = null;
      next = { ...state, level: event.level, alert, changes, flapping };
      break;
    }
    case "tick": {
      if (state.flapping && state.alert && now - state.alert.since >= rules.flapMs) {
        // Stable again: the alert goes on at the level it settled on, or ends
        next = { ...state, flapping: false, changes: [], alert: state.alert.level === "ok" ? null : state.alert };
      }
      const { alert, told } = next;
      if (alert && !next.silenced && alert.remindAt !== null && now >= alert.remindAt && told?.id === alert.id) {
        const reminded = { ...alert, remindAt: now + rules.remindMs };
        next = { ...next, alert: reminded };
        actions.push({ type: "send", message: { kind: "remind", alert: reminded }, reach: reminded.worst });
      }
      break;
    }
    case "ack": {
      const { alert } = state;
      const wanted = event.id?.toLowerCase();
      if (!alert) return { state, actions: [{ type: "reply", text: wanted ? `no alert ${wanted} is open: nothing to acknowledge` : "no alert is open: nothing to acknowledge" }] };
      if (wanted && wanted !== alert.id) return { state, actions: [{ type: "reply", text: `no alert ${wanted} is open; the open one is ${alert.id} (send ack ${alert.id})` }] };
      if (alert.ackedBy) return { state, actions: [{ type: "reply", text: `alert ${alert.id} was already acknowledged by ${alert.ackedBy}` }] };
      const acked = { ...alert, ackedBy: event.by, remindAt: null };
      next = { ...state, alert: acked };
      actions.push({ type: "reply", text: `acknowledged alert ${alert.id}: no more reminders; you will still hear when it ends` });
      if (!state.silenced) actions.push({ type: "send", message: { kind: "acked", alert: acked, by: event.by }, reach: acked.worst, except: event.by });
      break;
    }
    case "silence":
      next = { ...state, silenced: event.on };
      break;
  }
  if (!next.silenced) next = tell(next, now, rules, actions);
  actions.push({ type: "wake", at: wakeAt(next, rules) });
  return { state: next, actions };
}

/** What operators should believe now, as against what they were told: the messages that close the gap. */
function tell(state: AlertState, now: number, rules: AlertRules, actions: AlertAction[]): AlertState {
  const { alert, told } = state;
  const shown: Shown | null = alert ? (state.flapping ? "flapping" : alert.level) : null;
  const remind = rules.remindMs > 0 ? now + rules.remindMs : null;
  if (told && (!alert || alert.id !== told.id)) {
    const ended = { id: told.id, opened: told.opened, level: "ok" as Level, reasons: [], since: now, worst: told.worst, ackedBy: null, remindAt: null };
    actions.push({ type: "send", message: { kind: "recovered", alert: ended, was: told.shown }, reach: told.worst });
    state = { ...state, told: null };
  }
  if (!alert || shown === null || state.told?.shown === shown) return state;
  const kind: MessageKind = shown === "flapping" ? "flapping" : state.told ? "update" : "open";
  const sent = { ...alert, remindAt: alert.ackedBy ? null : remind };
  actions.push({ type: "send", message: { kind, alert: sent, was: state.told?.shown, changes: state.changes.length }, reach: sent.worst });
  return { ...state, alert: sent, told: { id: alert.id, shown, opened: alert.opened, worst: alert.worst } };
}

/** The next time a tick has something to do: a reminder, or the end of flapping. */
export function wakeAt(state: AlertState, rules: AlertRules): number | null {
  const times: number[] = [];
  if (state.alert?.remindAt != null && !state.silenced) times.push(state.alert.remindAt);
  if (state.flapping && state.alert) times.push(state.alert.since + rules.flapMs);
  return times.length ? Math.min(...times) : null;
}
