// An XMPP account in a test: logs in with @xmpp/client, records every stanza it gets, and waits for the
// one a test expects. It is the operator's or the stranger's client.
import { client, xml, type Client, type Element } from "@xmpp/client";
import { countHandledStanzas } from "../../src/xmpp/handled-count.js";
import { waitUntil } from "./wait-until.js";

export interface Peer {
  xmpp: Client;
  jid: string;
  received: Element[];
  /** Resolves with the first matching stanza after the last one a waitFor matched (or after `since`). */
  waitFor(what: string, match: (stanza: Element) => boolean, timeoutMs?: number, since?: number): Promise<Element>;
  send(stanza: Element): Promise<void>;
  stop(): Promise<void>;
}

export async function connectPeer(service: string, jid: string, password: string, options: { resource?: string; reconnect?: boolean; acceptFrom?: string } = {}): Promise<Peer> {
  const [username, domain] = jid.split("@") as [string, string];
  const xmpp = client({ service, domain, username, password, resource: options.resource ?? "test" });
  if (!options.reconnect) xmpp.reconnect.stop();
  xmpp.on("error", () => undefined);
  // The agent's fix for @xmpp/client 0.14's XEP-0198 count: without it this peer's roster IQ result goes
  // uncounted and Prosody ends the session ("The client says it handled -1 new stanzas"), which the server
  // restart test met as an operator query that never arrived
  countHandledStanzas(xmpp);
  const received: Element[] = [];
  const waiters = new Set<() => void>();
  let cursor = 0;
  xmpp.on("stanza", (stanza: Element) => {
    received.push(stanza);
    // Like a user who accepts the device's request and asks back
    if (options.acceptFrom && stanza.is("presence") && stanza.attrs.type === "subscribe" && String(stanza.attrs.from).startsWith(options.acceptFrom)) {
      void xmpp.send(xml("presence", { to: options.acceptFrom, type: "subscribed" }));
      void xmpp.send(xml("presence", { to: options.acceptFrom, type: "subscribe" }));
    }
    for (const wake of waiters) wake();
  });
  // Like every real client: fetch the roster (which makes this an "interested resource" that gets
  // subscription stanzas, RFC 6121 2.1.6), then go available
  xmpp.on("online", () => {
    xmpp.iqCaller
      .get(xml("query", "jabber:iq:roster"))
      .then(() => xmpp.send(xml("presence")))
      .catch(() => undefined);
  });
  await xmpp.start();
  return {
    xmpp,
    jid,
    received,
    send: (stanza) => xmpp.send(stanza),
    waitFor(what, match, timeoutMs = 10_000, since = cursor) {
      // Expectations are met in order: each wait starts after what the previous one matched
      let seen = since;
      const next = () => {
        for (; seen < received.length; seen++) {
          if (!match(received[seen]!)) continue;
          cursor = seen + 1;
          return received[seen]!;
        }
        return undefined;
      };
      return waitUntil(waiters, next, timeoutMs, () => `${jid} did not receive ${what} within ${timeoutMs} ms; got:\n${received.slice(since).map(String).join("\n")}`);
    },
    async stop() {
      xmpp.reconnect.stop();
      await Promise.race([xmpp.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
      xmpp.socket?.destroy();
    },
  };
}

export const fromBare = (stanza: Element) => String(stanza.attrs.from ?? "").split("/")[0];
export const isPresenceFrom = (jid: string, type?: string) => (s: Element) =>
  s.is("presence") && fromBare(s) === jid && (s.attrs.type as string | undefined) === type;
