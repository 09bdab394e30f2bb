// Chat with operators: a line in, a reply out, to the full JID that asked, type chat (RFC 6121 5.2.2).
// Not executed: error/headline/groupchat messages, delayed (offline or resent, XEP-0203) ones, and anything
// from a non-operator, who gets no reply at all.
import { xml, type Client, type Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import type { OperatorPolicy } from "../roster/operators.js";
import { bareJid } from "../jid.js";
import { parseChatCommand } from "./parse.js";
import { replyTo, type ReplyContext } from "./replies.js";
import { tokenBuckets } from "./rate-limit.js";
import { silenceNote } from "../maintenance/maintenance-mode.js";
import type { maintenanceMode } from "../maintenance/maintenance-mode.js";
import type { Level } from "../health/level.js";

/** Longer bodies are refused without parsing: no command is longer than a line. */
export const MAX_BODY = 1024;
/** Up to 5 lines at once, then one every 2 s, per operator (documented in README). */
export const CHAT_RATE = { burst: 5, refillMs: 2000 };

export interface ChatDeps {
  xmpp: Client;
  policy: OperatorPolicy;
  log: Logger;
  context(): ReplyContext;
  maintenance: ReturnType<typeof maintenanceMode>;
  currentLevel(): Level;
  now?: () => number;
  /** Whom a message from `from` speaks for: a fleet room occupant (XEP-0045) for the real JID the room showed,
   * or null when it hid it (no reply). Default: `from` itself. */
  senderOf?: (from: string) => string | null;
}

export function chatResponder({ xmpp, policy, log, context, maintenance, currentLevel, now = Date.now, senderOf = (from) => from }: ChatDeps) {
  const limiter = tokenBuckets(CHAT_RATE);

  function answer(stanza: Element): string | null {
    const address = String(stanza.attrs.from ?? ""); // where the reply goes: for a room occupant, room/nick
    const type = (stanza.attrs.type as string | undefined) ?? "normal";
    if (type === "error" || type === "headline" || type === "groupchat") return null;
    if (stanza.getChild("delay", "urn:xmpp:delay")) return null;
    const body = stanza.getChild("body");
    if (!body) return null; // chat states, receipts: nothing to answer
    const from = senderOf(address);
    if (from === null || !policy.isOperator(from)) {
      log.debug({ from: bareJid(from ?? address) }, "chat: ignoring a non-operator");
      return null;
    }
    if (!limiter.allow(bareJid(from), now())) {
      log.debug({ from: bareJid(from) }, "chat: rate limited");
      return null;
    }
    const text = body.text();
    if (text.length > MAX_BODY) return `message too long (${text.length} characters, at most ${MAX_BODY}): send help`;
    const command = parseChatCommand(text);
    log.info({ from: bareJid(from), command: command.name }, "chat command");
    if (command.name === "silence") {
      const s = maintenance.silence(command.minutes, command.reason, currentLevel());
      return `${silenceNote(s)}; presence held at its current level. Send unsilence to end it.`;
    }
    if (command.name === "unsilence") return maintenance.unsilence() ? "silence ended" : "not silenced";
    return replyTo(command, context());
  }

  const onStanza = (stanza: Element) => {
    if (!stanza.is("message")) return;
    const reply = answer(stanza);
    if (reply === null) return;
    const thread = stanza.getChild("thread");
    void xmpp
      .send(xml("message", { to: stanza.attrs.from, type: "chat" }, xml("body", {}, reply), ...(thread ? [xml("thread", {}, thread.text())] : [])))
      .catch((err: Error) => log.warn({ err: { message: err.message } }, "chat: reply not sent"));
  };
  xmpp.on("stanza", onStanza);
  return { stop: () => xmpp.removeListener("stanza", onStanza) };
}
