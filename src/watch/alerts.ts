// The watcher's share of the alerts, the driver of reminders.ts: each operator's choice (`alerts off|warn|crit`,
// kept in alerts.json in the state directory as the agent keeps it: alerts/choices.ts), `ack` and its word to the
// others, a reminder every alerts.remindMinutes while problems are unacked, `test alert`. Everything it sends goes
// through the notifier's flood guard (alerts.maxPerMinute), shared with the digests.
import type { Logger } from "../log.js";
import { bareJid } from "../jid.js";
import { alertChoices, stateDirectory, type AlertChoice } from "../alerts/choices.js";
import type { AlertsConfig } from "../alerts/index.js";
import type { FleetState, Note } from "./fleet.js";
import { NO_PROBLEMS, reminderInterval, reminderStep, type ReminderAction, type ReminderEvent } from "./reminders.js";
import { ackedNote, ackReply, choiceReply, reminderText, testText, wants } from "./news.js";

/** How often reminders fall due and missed recoveries are closed. */
const TICK_MS = 1000;

export interface WatchAlertsDeps {
  /** The named operators: who may get news. */
  operators: string[];
  config: AlertsConfig;
  /** watch.digestSeconds: the first reminder waits for the digest that tells the problem. */
  digestSeconds: number;
  /** Sends one message now, within the flood guard; false: held back (or the link is down). */
  send(operator: string, text: string, kind: string): boolean;
  isOnline(): boolean;
  fleet(): FleetState;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export function watchAlerts({ operators, config, digestSeconds, send, isOnline, fleet, log, env = process.env, now = Date.now }: WatchAlertsDeps) {
  const choices = alertChoices({ directory: stateDirectory(config.stateDirectory, env), log });
  const remindMs = reminderInterval(config.remindMinutes, digestSeconds);
  let state = NO_PROBLEMS;
  let ticker: NodeJS.Timeout | null = null;
  const choiceOf = (jid: string): AlertChoice => choices.get(jid) ?? config.level;
  const listening = (except?: string) => operators.filter((o) => o !== except && choiceOf(o) !== "off");

  function perform(action: ReminderAction): string {
    if (action.type === "remind") {
      log.info({ problems: action.problems.length }, "reminding the operators");
      for (const o of listening()) send(o, reminderText(action.problems, now()), "reminder");
      return "";
    }
    if (action.problems.length > 0) {
      log.info({ by: action.by, problems: action.problems.length }, "problems acked");
      for (const o of listening(action.by)) send(o, ackedNote(action.by, action.problems), "acked");
    }
    return ackReply(action.problems, action.before);
  }

  function feed(event: ReminderEvent): string {
    const result = reminderStep(state, event, now(), remindMs);
    state = result.state;
    return result.actions.map(perform).join("");
  }

  return {
    start() {
      choices.load();
      // Reminders wait for the link: one due while it is down goes out when it is back
      ticker = setInterval(() => isOnline() && feed({ type: "tick", fleet: fleet() }), TICK_MS);
    },
    stop() {
      if (ticker) clearInterval(ticker);
      ticker = null;
    },
    /** Whether an operator gets this note in their digest; asked before `noted` (a recovery ends a problem). */
    wants: (operator: string, note: Note) => wants(choiceOf(operator), note, note.device in state.open),
    noted: (note: Note) => void feed({ type: "note", note }),
    /** `ack`: the reply for the one who sent it. */
    ack: (from: string) => feed({ type: "ack", by: bareJid(from) }),
    /** `alerts` (what I get) or `alerts off|warn|crit`: the reply. */
    choose(from: string, choice?: AlertChoice): string {
      const jid = bareJid(from);
      if (choice) choices.set(jid, choice);
      return choiceReply({ choice: choiceOf(jid), changed: choice !== undefined, watcherDefault: config.level, kept: choices.kept, open: Object.values(state.open) });
    },
    /** `test alert`: one message like a digest to the one who asked. Null: sent, nothing to add. */
    testAlert(from: string): string | null {
      const jid = bareJid(from);
      return send(jid, testText(choiceOf(jid), now()), "test") ? null : `no test alert: at most ${config.maxPerMinute} messages a minute`;
    },
  };
}
