// Who may get alerts: operators whose roster item says they see the device's presence (subscription "from" or
// "both", RFC 6121 2.1.2.1). A listed operator who never accepted gets nothing; a `*@domain` operator gets
// alerts once subscribed, since a domain cannot be listed. Read at each new session, kept by roster pushes.
import { xml, type Client, type Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import type { OperatorPolicy } from "../roster/operators.js";
import { bareJid } from "../jid.js";

const NS_ROSTER = "jabber:iq:roster";
const SEES = new Set(["from", "both"]);

export interface SubscriberDeps {
  xmpp: Client;
  policy: OperatorPolicy;
  log: Logger;
  /** The roster was read (each session): whoever is subscribed now is known. */
  onRead(): void;
  /** An operator began to see the device after the first read (a push, or the next session's read). */
  onSubscribed(jid: string): void;
}

export function rosterSubscribers({ xmpp, policy, log, onRead, onSubscribed }: SubscriberDeps) {
  let subscribed = new Set<string>();
  let read = false;
  const apply = (items: Element[], into: Set<string>) => {
    for (const item of items) {
      const jid = bareJid(String(item.attrs.jid ?? ""));
      if (SEES.has(String(item.attrs.subscription)) && policy.isOperator(jid)) into.add(jid);
      else into.delete(jid);
    }
    return into;
  };
  const replace = (next: Set<string>) => {
    const before = subscribed;
    subscribed = next;
    if (read) for (const jid of next) if (!before.has(jid)) onSubscribed(jid);
  };
  const readRoster = () =>
    xmpp.iqCaller.get(xml("query", NS_ROSTER)).then(
      (query) => {
        replace(apply(query?.getChildren("item") ?? [], new Set()));
        read = true;
        onRead();
      },
      (err: Error) => log.warn({ err: { message: err.message } }, "alerts: roster not read"),
    );
  // Roster pushes (RFC 6121 2.1.6) from our own server; roster/subscriptions.ts answers them
  const onStanza = (stanza: Element) => {
    if (!stanza.is("iq") || stanza.attrs.type !== "set") return;
    const from = stanza.attrs.from as string | undefined;
    if (from && (xmpp.jid === null || bareJid(from) !== bareJid(String(xmpp.jid)))) return;
    const query = stanza.getChild("query", NS_ROSTER);
    if (query) replace(apply(query.getChildren("item"), new Set(subscribed)));
  };
  const onOnline = () => void readRoster();
  return {
    start() {
      xmpp.on("stanza", onStanza);
      xmpp.on("online", onOnline);
    },
    stop() {
      xmpp.removeListener("stanza", onStanza);
      xmpp.removeListener("online", onOnline);
    },
    /** False until the roster has been read once: alerts wait for it. */
    known: () => read,
    list: () => [...subscribed],
    has: (jid: string) => subscribed.has(bareJid(jid)),
  };
}
