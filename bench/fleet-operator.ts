// The fleet benchmark's operator: one @xmpp/client login with every device in its roster, doing what a person's
// client does (accept a device's subscription request and ask back, fetch the roster, go available) and
// keeping what the person would see: each device's latest presence, and when every presence arrived.
import { client, xml, type Client, type Element } from "@xmpp/client";
import { countHandledStanzas } from "../src/xmpp/handled-count.js";
import { waitUntil } from "../test/support/wait-until.js";

export interface DeviceView {
  /** null: available with no <show> (ok); "unavailable" once it left. */
  show: string | null;
  status: string;
}

/** A chat message with a body, as the operator's client shows it. */
export interface ChatMessage {
  from: string;
  at: number;
  body: string;
}

export interface OperatorView {
  xmpp: Client;
  /** Latest presence per device (bare JID). */
  devices: Map<string, DeviceView>;
  /** performance.now() of every presence from a device, in arrival order. */
  arrivals: number[];
  /** Subscription requests from devices that this operator accepted. */
  accepted(): number;
  /** Roster items in the answer to the roster request at login, and when it came (performance.now()). */
  roster: Promise<{ items: number; at: number }>;
  /** Resolves with performance.now() once `count` devices satisfy `test`; rejects after `timeoutMs`. */
  until(what: string, count: number, test: (view: DeviceView) => boolean, timeoutMs: number): Promise<number>;
  /** The same for one contact that is not a device (the watcher). */
  untilContact(contact: string, test: (view: DeviceView) => boolean, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

/** `arrivals`, `messages`: where to record presence arrival times and chat messages; one array across this
 * operator's logins. `notDevices`: contacts whose presence is kept apart (the watcher). */
export async function operatorView(service: string, jid: string, password: string, arrivals: number[] = [], messages: ChatMessage[] = [], notDevices: string[] = []): Promise<OperatorView> {
  const [username, domain] = jid.split("@") as [string, string];
  const xmpp = client({ service, domain, username, password, resource: "fleet-operator" });
  xmpp.reconnect.stop();
  xmpp.on("error", () => undefined);
  countHandledStanzas(xmpp); // @xmpp/client 0.14 miscounts XEP-0198 'h' (src/xmpp/handled-count.ts)
  const devices = new Map<string, DeviceView>();
  const contacts = new Map<string, DeviceView>();
  const waiters = new Set<() => void>();
  let accepted = 0;

  xmpp.on("stanza", (stanza: Element) => {
    const body = stanza.is("message") ? stanza.getChildText("body") : null;
    if (body !== null) messages.push({ from: String(stanza.attrs.from ?? "").split("/")[0]!, at: performance.now(), body });
    if (!stanza.is("presence")) return;
    const from = String(stanza.attrs.from ?? "");
    const bare = from.split("/")[0]!;
    if (!bare.includes("@") || bare === jid) return;
    const type = stanza.attrs.type as string | undefined;
    if (type === "subscribe") {
      accepted++;
      void xmpp.send(xml("presence", { to: bare, type: "subscribed" })).catch(() => undefined);
      void xmpp.send(xml("presence", { to: bare, type: "subscribe" })).catch(() => undefined);
      return;
    }
    if (type !== undefined && type !== "unavailable") return;
    const device = !notDevices.includes(bare);
    if (device) arrivals.push(performance.now());
    (device ? devices : contacts).set(bare, type === "unavailable" ? { show: "unavailable", status: stanza.getChildText("status") ?? "" } : { show: stanza.getChildText("show"), status: stanza.getChildText("status") ?? "" });
    for (const wake of waiters) wake();
  });

  let rosterAnswer: (value: { items: number; at: number }) => void = () => undefined;
  const roster = new Promise<{ items: number; at: number }>((resolve) => (rosterAnswer = resolve));
  xmpp.on("online", () => {
    xmpp.iqCaller
      .get(xml("query", "jabber:iq:roster"), undefined, 60_000)
      .then((query) => {
        rosterAnswer({ items: query?.getChildren("item").length ?? 0, at: performance.now() });
        return xmpp.send(xml("presence"));
      })
      .catch(() => undefined);
  });
  await xmpp.start();

  return {
    xmpp,
    devices,
    arrivals,
    accepted: () => accepted,
    roster,
    until(what, count, test, timeoutMs) {
      const seeing = () => {
        let n = 0;
        for (const view of devices.values()) if (test(view)) n++;
        return n;
      };
      return waitUntil(waiters, () => (seeing() >= count ? performance.now() : undefined), timeoutMs, () => `the operator saw ${what} from ${seeing()} of ${count} devices within ${timeoutMs / 1000} s`);
    },
    untilContact(contact, test, timeoutMs) {
      const view = () => contacts.get(contact);
      return waitUntil(waiters, () => (view() && test(view()!) ? performance.now() : undefined), timeoutMs, () => `the operator saw no such presence from ${contact} within ${timeoutMs / 1000} s`);
    },
    async stop() {
      await Promise.race([xmpp.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
      xmpp.socket?.destroy();
    },
  };
}
