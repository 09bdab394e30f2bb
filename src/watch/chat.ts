// Chat to the watcher: operators ask `fleet`, `fleet DEVICE` or `help`; a reply goes to the full JID that asked
// (RFC 6121 5.2.2). Anyone else, the devices included (their alerts reach the watcher as an operator of theirs),
// gets no reply at all. Rate-limited per operator as the agent's chat is.
import { xml, type Client, type Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import type { OperatorPolicy } from "../roster/operators.js";
import { bareJid } from "../jid.js";
import { CHAT_RATE, MAX_BODY } from "../chat/handler.js";
import { tokenBuckets } from "../chat/rate-limit.js";
import type { FleetState } from "./fleet.js";
import { deviceReply, fleetReply, WATCH_HELP } from "./replies.js";

export interface WatchChatDeps {
  xmpp: Client;
  operators: OperatorPolicy;
  fleet(): FleetState;
  log: Logger;
}

export function answerText(text: string, fleet: FleetState, now: number): string {
  const [word = "", ...rest] = text.trim().split(/\s+/);
  const command = word.toLowerCase();
  if (command === "fleet") return rest.length > 0 ? deviceReply(fleet, rest.join(" "), now) : fleetReply(fleet, now);
  if (command === "help" || command === "?") return WATCH_HELP;
  return `unknown command ${JSON.stringify(word.slice(0, 20)).replace(/"/g, "")}: send help`;
}

export function watchChat({ xmpp, operators, fleet, log }: WatchChatDeps) {
  const limiter = tokenBuckets(CHAT_RATE);
  const onStanza = (stanza: Element) => {
    if (!stanza.is("message")) return;
    const type = (stanza.attrs.type as string | undefined) ?? "normal";
    if (type === "error" || type === "headline" || type === "groupchat") return;
    if (stanza.getChild("delay", "urn:xmpp:delay")) return;
    const body = stanza.getChildText("body");
    const from = String(stanza.attrs.from ?? "");
    if (body === null || !operators.isOperator(from)) return;
    if (!limiter.allow(bareJid(from), Date.now())) return;
    const reply = body.length > MAX_BODY ? `message too long (${body.length} characters, at most ${MAX_BODY}): send help` : answerText(body, fleet(), Date.now());
    log.info({ from: bareJid(from), command: body.trim().split(/\s+/)[0]?.slice(0, 20) }, "chat command");
    void xmpp.send(xml("message", { to: from, type: "chat" }, xml("body", {}, reply))).catch(() => undefined);
  };
  return {
    start: () => void xmpp.on("stanza", onStanza),
    stop: () => void xmpp.removeListener("stanza", onStanza),
  };
}
