// The watcher's notes reach each operator as one chat message per digest window (watch.digestSeconds): to the
// bare JID, type chat, with a XEP-0334 store hint so a phone that is offline gets it later. The flood guard of the
// alerts (alerts.maxPerMinute) holds a window's notes back to the next one instead of dropping them. Each operator
// gets the notes they want (`wants`: their choice, watch/alerts.ts); reminders, acks and test alerts go out through
// `send`, within the same guard.
import { xml, type Client } from "@xmpp/client";
import type { Logger } from "../log.js";
import { floodGuard } from "../alerts/flood.js";
import type { Note } from "./fleet.js";
import { digestText } from "./digest.js";

export interface NotifierDeps {
  xmpp: Client;
  isOnline(): boolean;
  operators: string[];
  digestSeconds: number;
  maxPerMinute: number;
  /** Whether this operator gets this note (their `alerts off|warn|crit`); all by default. */
  wants?(operator: string, note: Note): boolean;
  log: Logger;
  now?: () => number;
}

export function watchNotifier({ xmpp, isOnline, operators, digestSeconds, maxPerMinute, wants = () => true, log, now = Date.now }: NotifierDeps) {
  const guard = floodGuard({ perMinute: maxPerMinute });
  const pending = new Map<string, Note[]>(operators.map((o) => [o, []]));
  let timer: NodeJS.Timeout | null = null;

  function flush() {
    timer = null;
    if (!isOnline()) return schedule(); // told once the link is back
    for (const [operator, notes] of pending) {
      if (notes.length === 0) continue;
      if (!guard.allow(operator, now())) {
        log.warn({ operator, notes: notes.length }, "flood guard: holding the notes to the next digest");
        continue;
      }
      pending.set(operator, []);
      log.info({ operator, notes: notes.length }, "telling an operator");
      deliver(operator, digestText(notes));
    }
    if ([...pending.values()].some((n) => n.length > 0)) schedule();
  }

  function deliver(operator: string, body: string) {
    // XEP-0334: a message with a body is stored offline by most servers anyway; the hint says so for the others
    void xmpp.send(xml("message", { to: operator, type: "chat" }, xml("body", {}, body), xml("store", { xmlns: "urn:xmpp:hints" }))).catch(() => undefined);
  }
  function schedule() {
    timer ??= setTimeout(flush, Math.max(digestSeconds * 1000, 1000));
  }

  return {
    tell(note: Note) {
      for (const [operator, notes] of pending) if (wants(operator, note)) notes.push(note);
      if (digestSeconds === 0 && isOnline()) return flush();
      schedule();
    },
    /** One message now, not digested; false: the link is down or the flood guard held it back. */
    send(operator: string, body: string, kind: string): boolean {
      if (!isOnline()) return false;
      if (!guard.allow(operator, now())) {
        log.warn({ operator, kind, perMinute: maxPerMinute }, "flood guard: a message held back");
        return false;
      }
      log.info({ operator, kind }, "telling an operator");
      deliver(operator, body);
      return true;
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
