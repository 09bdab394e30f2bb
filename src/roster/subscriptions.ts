// The roster follows the config (RFC 6121 3): operators are pre-approved and asked to subscribe, their
// requests approved; everyone else is refused and removed, so they get no presence, broadcast or probed.
import { xml, type Client, type Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import { bareJid } from "../jid.js";
import type { OperatorPolicy } from "./operators.js";

const NS_ROSTER = "jabber:iq:roster";
export const NS_PRE_APPROVAL = "urn:xmpp:features:pre-approval";

export interface RosterItem {
  jid: string;
  subscription: string;
  ask: string | null;
  /** Already pre-approved (RFC 6121 3.4). */
  approved: boolean;
}

export interface RosterActions {
  remove: string[];
  preApprove: string[];
  askSubscribe: string[];
}

/** What to change so the roster matches the operators. Pure. */
export function planRoster(items: RosterItem[], policy: OperatorPolicy, preApprovalOffered: boolean): RosterActions {
  const byJid = new Map(items.map((i) => [bareJid(i.jid), i]));
  const remove = items.map((i) => bareJid(i.jid)).filter((jid) => !policy.isOperator(jid));
  const preApprove: string[] = [];
  const askSubscribe: string[] = [];
  for (const operator of policy.named) {
    const item = byJid.get(operator);
    const theySee = item?.subscription === "from" || item?.subscription === "both";
    // RFC 6121 3.4: pre-approve only where the server says it supports it
    if (!theySee && preApprovalOffered && !item?.approved) preApprove.push(operator);
    // A subscribe makes the device show up in the operator's client; once pending, don't nag at every restart
    if (!theySee && (item?.subscription ?? "none") === "none" && !item?.ask) askSubscribe.push(operator);
  }
  return { remove, preApprove, askSubscribe };
}

export function parseRoster(query: Element | undefined): RosterItem[] {
  return (query?.getChildren("item") ?? []).map((item) => ({
    jid: String(item.attrs.jid),
    subscription: String(item.attrs.subscription ?? "none"),
    ask: (item.attrs.ask as string | undefined) ?? null,
    approved: item.attrs.approved === "true",
  }));
}

export interface RosterDeps {
  xmpp: Client;
  policy: OperatorPolicy;
  log: Logger;
  preApprovalOffered(): boolean;
}

export function rosterKeeper({ xmpp, policy, log, preApprovalOffered }: RosterDeps) {
  const send = (stanza: Element) => xmpp.send(stanza).catch((err: Error) => log.warn({ err: { message: err.message } }, "roster: send failed"));

  const onStanza = (stanza: Element) => {
    if (!stanza.is("presence")) return;
    const { type, from } = stanza.attrs as { type?: string; from?: string };
    if (type !== "subscribe" || !from) return;
    const jid = bareJid(from);
    if (policy.isOperator(jid)) {
      log.info({ jid }, "roster: approving operator's subscription");
      void send(xml("presence", { to: jid, type: "subscribed" }));
    } else {
      log.info({ jid }, "roster: refusing subscription from a non-operator");
      void send(xml("presence", { to: jid, type: "unsubscribed" }));
    }
  };
  xmpp.on("stanza", onStanza);
  // RFC 6121 2.1.6: acknowledge our server's roster pushes (the next sync reads the roster anyway); a push from
  // anyone else must be ignored, so it falls through to service-unavailable
  xmpp.iqCallee.set(NS_ROSTER, "query", (ctx) => {
    const from = ctx.stanza.attrs.from as string | undefined;
    return !from || (xmpp.jid !== null && bareJid(from) === bareJid(String(xmpp.jid))) ? {} : undefined;
  });

  return {
    /** Bring the server's roster in line with the config; run at every new session. */
    async sync() {
      const result = await xmpp.iqCaller.get(xml("query", NS_ROSTER));
      const plan = planRoster(parseRoster(result), policy, preApprovalOffered());
      for (const jid of plan.remove) {
        log.info({ jid }, "roster: removing a contact who is not an operator");
        // subscription='remove' also cancels their subscription to us (RFC 6121 2.5.3)
        await xmpp.iqCaller.set(xml("query", NS_ROSTER, xml("item", { jid, subscription: "remove" })));
      }
      for (const jid of plan.preApprove) await send(xml("presence", { to: jid, type: "subscribed" }));
      for (const jid of plan.askSubscribe) await send(xml("presence", { to: jid, type: "subscribe" }));
      if (plan.preApprove.length + plan.askSubscribe.length > 0) {
        log.info({ preApproved: plan.preApprove, asked: plan.askSubscribe }, "roster: operators invited");
      }
      return plan;
    },
    stop() {
      xmpp.removeListener("stanza", onStanza);
    },
  };
}
