// XEP-0379: an operator's pre-authenticated roster invitation, redeemed by the device with nobody clicking.
// The device sends its subscription request with the operator's token; the operator's server (Prosody 0.12's
// mod_invites_register) approves it on the operator's behalf and asks back; the device approves that. Both
// rosters then say "both". Seen from here through our own roster pushes (RFC 6121 2.1.6).
import { xml, type Client, type Element } from "@xmpp/client";
import { bareJid } from "../jid.js";
import { NS_PREAUTH } from "./register.js";

const NS_ROSTER = "jabber:iq:roster";

export interface RosterInvitation {
  jid: string;
  /** Null: the account was registered with this token, and the server subscribed both ways then (check only). */
  token: string | null;
}

/**
 * Redeems each invitation in turn; resolves with the operators whose subscription ended both ways within
 * `timeoutMs` each. Not accepted (a used or expired token, a server without XEP-0379) looks the same from here:
 * the request simply stays pending, as an ordinary one the operator may still accept.
 */
export async function redeemRosterInvitations(xmpp: Client, invitations: RosterInvitation[], timeoutMs: number): Promise<{ jid: string; both: boolean }[]> {
  const subscription = new Map<string, string>();
  let changed = () => {};
  const record = (item: Element) => {
    subscription.set(bareJid(String(item.attrs.jid)), String(item.attrs.subscription ?? "none"));
    changed();
  };
  // Our own server's pushes only (RFC 6121 2.1.6); acknowledged, as the agent does
  xmpp.iqCallee.set(NS_ROSTER, "query", (ctx) => {
    const from = ctx.stanza.attrs.from as string | undefined;
    if (from && (xmpp.jid === null || bareJid(from) !== bareJid(String(xmpp.jid)))) return undefined;
    ctx.element.getChildren("item").forEach(record);
    return {};
  });
  // Fetching the roster makes this an interested resource: pushes come to it from now on
  const roster = await xmpp.iqCaller.get(xml("query", NS_ROSTER));
  roster?.getChildren("item").forEach(record);

  const until = (ok: (state: string | undefined) => boolean, jid: string, deadline: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      changed = () => {
        if (!ok(subscription.get(jid))) return;
        clearTimeout(timer);
        resolve(true);
      };
      changed();
    });

  const results = [];
  for (const { jid, token } of invitations) {
    const deadline = Date.now() + timeoutMs;
    const operator = bareJid(jid);
    if (token !== null) await xmpp.send(xml("presence", { to: operator, type: "subscribe" }, xml("preauth", { xmlns: NS_PREAUTH, token })));
    // The operator approved (the token was good); their server has asked back by now, so approving it makes "both".
    // Approving earlier would be a pre-approval, which Prosody 0.12 honours on the operator's side only
    const approved = await until((state) => state === "to" || state === "both", operator, deadline);
    if (approved && subscription.get(operator) !== "both") await xmpp.send(xml("presence", { to: operator, type: "subscribed" }));
    results.push({ jid: operator, both: approved && (await until((state) => state === "both", operator, deadline)) });
  }
  changed = () => {};
  return results;
}
