// The watcher's notes reach each operator as one chat message per digest window: to the bare JID, type chat, with a
// XEP-0334 store hint so a phone that is offline gets it later. The window closes once watch.digestSeconds pass
// without a new note, and at the latest WINDOW_BOUND digests after it opened: a fleet-wide spike whose presences
// trickle in over 45 s was 6 messages with a fixed 10 s window (docs/benchmarks.md, "Fleet"), and is one now. The flood guard of the
// alerts (alerts.maxPerMinute) holds a window's notes back to the next one instead of dropping them. Each operator
// gets the notes they want (`wants`: their choice, watch/alerts.ts); reminders, acks and test alerts go out through
// `send`, within the same guard.
import { xml, type Client } from "@xmpp/client";
import type { Logger } from "../log.js";
import { floodGuard } from "../alerts/flood.js";
import type { Note } from "./fleet.js";
import { digestText } from "./digest.js";

/** A window stays open at most this many digestSeconds while notes keep coming. */
export const WINDOW_BOUND = 6;

/** When the open window closes: digestMs after its last note, and no later than the bound after its first. Pure. */
export function windowCloses(openedAt: number, lastNoteAt: number, digestMs: number): number {
  return Math.min(lastNoteAt + digestMs, openedAt + WINDOW_BOUND * digestMs);
}

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
  const digestMs = Math.max(digestSeconds * 1000, 1000);
  let timer: NodeJS.Timeout | null = null;
  /** When the open window opened; null: none open. */
  let openedAt: number | null = null;

  function flush() {
    timer = null;
    openedAt = null;
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
  /** Opens a window, or keeps the open one open for digestSeconds more (up to its bound). */
  function schedule() {
    const at = now();
    openedAt ??= at;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, Math.max(0, windowCloses(openedAt, at, digestMs) - at));
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
      openedAt = null;
    },
  };
}
