// Alerts that reach a person: the driver of life.ts. It feeds the alert's step the health (after hysteresis),
// maintenance, acks and its own timer, and performs what comes out: one chat message per operator, to the
// bare JID, type chat, with a XEP-0334 <store/> hint so the server keeps it for an operator who is offline and
// carbons copy it to all their clients. https://xmpp.org/extensions/xep-0334.html#sect-idm45660551093840
// Only subscribed operators (subscribers.ts) get one, each from the level they chose (choices.ts), within the
// flood guard (flood.ts). Messages due while the link is down, or before the roster is read, wait for both.
import { xml, type Client } from "@xmpp/client";
import type { Logger } from "../log.js";
import type { HealthSnapshot } from "../health/monitor.js";
import { SEVERITY, type Level } from "../health/level.js";
import type { OperatorPolicy } from "../roster/operators.js";
import { bareJid } from "../jid.js";
import { QUIET, step, type AlertAction, type AlertEvent, type AlertRules } from "./life.js";
import { alertText, clockWithZone, testText } from "./format.js";
import { floodGuard } from "./flood.js";
import { alertChoices, stateDirectory, type AlertChoice } from "./choices.js";
import { rosterSubscribers } from "./subscribers.js";
import { describeChoice } from "./replies.js";

export const NS_HINTS = "urn:xmpp:hints";
/** Messages waiting for the link; past this the oldest go (the newest say how the device is now). */
const OUTBOX_MAX = 50;

export interface AlertsConfig {
  level: AlertChoice;
  remindMinutes: number;
  flapChanges: number;
  flapMinutes: number;
  maxPerMinute: number;
  stateDirectory: string;
}

export interface AlertsDeps {
  xmpp: Client;
  isOnline(): boolean;
  policy: OperatorPolicy;
  config: AlertsConfig;
  /** The device's bare JID: its local part names the device in every message ("pi-42 CRIT: ..."). */
  device: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

interface Pending {
  text: string;
  reach: Level;
  except?: string;
  kind: string;
}

export type DeviceAlerts = ReturnType<typeof deviceAlerts>;

export function deviceAlerts({ xmpp, isOnline, policy, config, device, log, env = process.env, now = Date.now }: AlertsDeps) {
  const name = device.split("@")[0] || device;
  const rules: AlertRules = { remindMs: config.remindMinutes * 60_000, flapChanges: config.flapChanges, flapMs: config.flapMinutes * 60_000 };
  const choices = alertChoices({ directory: stateDirectory(config.stateDirectory, env), log });
  const guard = floodGuard({ perMinute: config.maxPerMinute });
  let state = QUIET;
  let timer: NodeJS.Timeout | null = null;
  let outbox: Pending[] = [];
  let nextId = 0;

  const choiceOf = (jid: string): AlertChoice => choices.get(jid) ?? config.level;
  const reaches = (jid: string, level: Level) => choiceOf(jid) !== "off" && SEVERITY[level] >= SEVERITY[choiceOf(jid) as Level];
  const ready = () => isOnline() && subscribers.known();

  function sendTo(jid: string, text: string, kind: string) {
    if (!guard.allow(jid, now())) {
      log.warn({ to: jid, kind, perMinute: config.maxPerMinute }, "alerts: flood guard held a message back");
      return false;
    }
    const stanza = xml("message", { to: jid, type: "chat", id: `alert-${++nextId}` }, xml("body", {}, text), xml("store", NS_HINTS));
    xmpp.send(stanza).catch((err: Error) => log.warn({ to: jid, err: { message: err.message } }, "alerts: message not sent"));
    log.info({ to: jid, kind }, "alert sent");
    return true;
  }

  function deliver(p: Pending) {
    if (!ready()) {
      outbox = [...outbox, p].slice(-OUTBOX_MAX);
      return;
    }
    for (const jid of subscribers.list()) if (jid !== p.except && reaches(jid, p.reach)) sendTo(jid, p.text, p.kind);
  }

  function flush() {
    if (!ready()) return;
    const waiting = outbox;
    outbox = [];
    waiting.forEach(deliver);
  }

  /** An operator who subscribes while an alert is open hears it at once, not at the next reminder. */
  function catchUp(jid: string) {
    const { alert, told, silenced } = state;
    if (!alert || told?.id !== alert.id || silenced || !ready() || !reaches(jid, alert.worst)) return;
    sendTo(jid, alertText(name, { kind: told.shown === "flapping" ? "flapping" : "open", alert, changes: state.changes.length }, now()), "catch-up");
  }

  const subscribers = rosterSubscribers({ xmpp, policy, log, onRead: flush, onSubscribed: catchUp });

  function perform(actions: AlertAction[]): string | null {
    let reply: string | null = null;
    for (const action of actions) {
      if (action.type === "reply") reply = action.text;
      else if (action.type === "send") {
        const { message } = action;
        log.info({ kind: message.kind, id: message.alert.id, level: message.alert.level }, "alert");
        deliver({ text: alertText(name, message, now()), reach: action.reach, except: action.except, kind: message.kind });
      } else {
        if (timer) clearTimeout(timer);
        timer = action.at === null ? null : setTimeout(() => feed({ type: "tick" }), Math.max(0, action.at - now()));
        timer?.unref();
      }
    }
    return reply;
  }

  function feed(event: AlertEvent): string | null {
    const result = step(state, event, now(), rules);
    state = result.state;
    return perform(result.actions);
  }

  // XEP-0198 resumption fires no "online": the status turns online right after "resumed"
  const onResumed = () => queueMicrotask(flush);

  return {
    start() {
      choices.load();
      subscribers.start();
      xmpp.streamManagement?.on("resumed", onResumed);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      subscribers.stop();
      xmpp.streamManagement?.removeListener("resumed", onResumed);
    },
    /** Each sample's health after hysteresis; the first, "no sample yet", is not news. */
    healthChanged({ state: health }: HealthSnapshot) {
      if (health.started) feed({ type: "health", level: health.level, reasons: health.reasons });
    },
    /** Maintenance (`silence`) began or ended: alerts are held while it lasts. */
    silenceChanged(on: boolean) {
      if (on !== state.silenced) feed({ type: "silence", on });
    },
    /** `ack [ID]` by chat or ad-hoc: the reply for the one who sent it. */
    ack: (from: string, id?: string) => feed({ type: "ack", by: bareJid(from), id }) ?? "",
    /** `alerts` (what I get) or `alerts off|warn|crit`: the reply. */
    choose(from: string, choice?: AlertChoice): string {
      const jid = bareJid(from);
      if (choice) choices.set(jid, choice);
      const open = state.alert && state.told ? { id: state.alert.id, level: state.alert.level, opened: clockWithZone(state.alert.opened), ackedBy: state.alert.ackedBy } : null;
      return describeChoice({ choice: choiceOf(jid), changed: choice !== undefined, deviceDefault: config.level, kept: choices.kept, subscribed: subscribers.has(jid), open });
    },
    /** `test alert`: one message like an alert, to the operator who asked only. Null: sent, nothing to add. */
    testAlert(from: string): string | null {
      const jid = bareJid(from);
      if (!subscribers.has(jid)) return "no test alert: you are not subscribed to this device's presence, so you would get no alerts. Accept its subscription request first";
      if (!ready()) return "no test alert: the device is reconnecting; try again in a minute";
      return sendTo(jid, testText(name, now()), "test") ? null : `no test alert: at most ${config.maxPerMinute} messages a minute`;
    },
  };
}
