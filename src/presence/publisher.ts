// Sends the health presence when the policy says so, and again at the start of every new session.
import type { Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import { decidePresence, type PresenceRules, type Published, type Wanted } from "./policy.js";
import { SHOW_FOR_LEVEL, availablePresence } from "./show.js";

export interface PublisherDeps {
  send(stanza: Element): Promise<void>;
  isOnline(): boolean;
  caps(): Element;
  rules: PresenceRules;
  priority: number;
  log: Logger;
  now?: () => number;
  /** After each presence: the fleet room (XEP-0045) shows the same one, under the same limits. */
  onSent?: () => void;
}

export function presencePublisher({ send, isOnline, caps, rules, priority, log, now = Date.now, onSent }: PublisherDeps) {
  let last: Published | null = null;
  let wanted: Wanted | null = null;
  let retry: NodeJS.Timeout | null = null;
  let sent = 0;

  function consider(urgent = false) {
    if (retry) clearTimeout(retry);
    retry = null;
    if (!wanted || !isOnline()) return;
    const changed = last === null || last.level !== wanted.level || last.status !== wanted.status;
    const decision = urgent && changed ? ({ send: true, why: "operator" } as const) : decidePresence(last, wanted, now(), rules);
    if (!decision.send) {
      // Held back by the rate limit: go out when allowed, with whatever is wanted by then
      if (decision.retryAt !== null) retry = setTimeout(consider, Math.max(0, decision.retryAt - now()));
      return;
    }
    const current = wanted;
    last = { ...current, at: now() };
    sent++;
    const stanza = availablePresence({ show: SHOW_FOR_LEVEL[current.level], status: current.status, priority }, caps());
    // `health`, not `level`: pino's own `level` (30 for info) would be written twice in one line
    log.info({ health: current.level, show: SHOW_FOR_LEVEL[current.level], status: current.status, why: decision.why }, "presence");
    send(stanza).catch((err: Error) => {
      log.warn({ err: { message: err.message } }, "presence not sent");
      last = null;
    });
    onSent?.();
  }

  return {
    /** `urgent`: caused by an operator's own command (silence, unsilence), who waits to see it: no rate limit. */
    update(next: Wanted, { urgent = false }: { urgent?: boolean } = {}) {
      wanted = next;
      consider(urgent);
    },
    /** Send the wanted presence now, whatever the rate limit: a new session (the server knows nothing of
     * our presence) or an operator who asked for it. */
    resend() {
      last = null;
      consider();
    },
    wanted: () => wanted,
    /** The presence last sent, built afresh (one element per stanza): what the roster shows; null before one. */
    presence: () => (last ? availablePresence({ show: SHOW_FOR_LEVEL[last.level], status: last.status, priority }, caps()) : null),
    sentCount: () => sent,
    stop() {
      if (retry) clearTimeout(retry);
      retry = null;
    },
  };
}
