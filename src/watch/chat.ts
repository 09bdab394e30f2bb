// Chat to the watcher: operators ask `fleet`, `fleet DEVICE`, `help`, and the alerts' `ack`, `alerts [off|warn|crit]`
// and `test alert` (watch/alerts.ts); a reply goes to the full JID that asked
// (RFC 6121 5.2.2). Anyone else, the devices included (their alerts reach the watcher as an operator of theirs),
// gets no reply at all. Rate-limited per operator as the agent's chat is.
import { xml, type Client, type Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import type { OperatorPolicy } from "../roster/operators.js";
import { bareJid } from "../jid.js";
import { CHAT_RATE, MAX_BODY } from "../chat/handler.js";
import { tokenBuckets } from "../chat/rate-limit.js";
import type { AlertChoice } from "../alerts/choices.js";
import type { FleetState } from "./fleet.js";
import { deviceReply, fleetReply, WATCH_HELP } from "./replies.js";

/** What the watcher's alerts answer (watch/alerts.ts). */
export interface WatchAsk {
  ack(from: string): string;
  choose(from: string, choice?: AlertChoice): string;
  /** Null: the test message itself is the answer. */
  testAlert(from: string): string | null;
}

export interface WatchChatDeps {
  xmpp: Client;
  operators: OperatorPolicy;
  fleet(): FleetState;
  alerts: WatchAsk;
  log: Logger;
}

export type WatchCommand =
  | { name: "fleet"; device?: string }
  | { name: "help" | "ack" | "test alert" }
  | { name: "alerts"; choice?: AlertChoice }
  | { name: "invalid"; message: string }
  | { name: "unknown"; word: string };

export function parseWatchCommand(text: string): WatchCommand {
  const [word = "", ...rest] = text.trim().split(/\s+/);
  const command = word.toLowerCase().replace(/^\//, "");
  const second = rest.join(" ").toLowerCase();
  switch (command) {
    case "fleet":
      return rest.length > 0 ? { name: "fleet", device: rest.join(" ") } : { name: "fleet" };
    case "help":
    case "?":
      return { name: "help" };
    case "ack":
      return rest.length === 0 ? { name: "ack" } : { name: "invalid", message: "usage: ack (acknowledges every open problem at once)" };
    case "alerts":
      if (rest.length === 0) return { name: "alerts" };
      if (second === "off" || second === "warn" || second === "crit") return { name: "alerts", choice: second };
      return { name: "invalid", message: "usage: alerts (what you get), or alerts off, alerts warn, alerts crit" };
    case "test":
      return second === "alert" ? { name: "test alert" } : { name: "invalid", message: "usage: test alert" };
  }
  return { name: "unknown", word: word.slice(0, 20).replace(/[<>&"]/g, "") };
}

/** The reply to one message from an operator; null: none (the test alert is the answer). */
export function answerText(text: string, from: string, fleet: FleetState, alerts: WatchAsk, now: number): string | null {
  const command = parseWatchCommand(text);
  switch (command.name) {
    case "fleet":
      return command.device ? deviceReply(fleet, command.device, now) : fleetReply(fleet, now);
    case "help":
      return WATCH_HELP;
    case "ack":
      return alerts.ack(from);
    case "alerts":
      return alerts.choose(from, command.choice);
    case "test alert":
      return alerts.testAlert(from);
    case "invalid":
      return command.message;
    case "unknown":
      return `unknown command ${command.word}: send help`;
  }
}

export function watchChat({ xmpp, operators, fleet, alerts, log }: WatchChatDeps) {
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
    const reply = body.length > MAX_BODY ? `message too long (${body.length} characters, at most ${MAX_BODY}): send help` : answerText(body, from, fleet(), alerts, Date.now());
    log.info({ from: bareJid(from), command: body.trim().split(/\s+/)[0]?.slice(0, 20) }, "chat command");
    if (reply !== null)
      void xmpp.send(xml("message", { to: from, type: "chat" }, xml("body", {}, reply))).catch(() => undefined);
  };
  return {
    start: () => void xmpp.on("stanza", onStanza),
    stop: () => void xmpp.removeListener("stanza", onStanza),
  };
}
