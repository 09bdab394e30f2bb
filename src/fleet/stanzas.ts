// XEP-0045 Multi-User Chat, the stanzas the fleet room needs: join, leave, and what a presence from the room
// says. Pure. https://xmpp.org/extensions/xep-0045.html
import { xml, type Element } from "@xmpp/client";
import { bareJid, resourceOf } from "../jid.js";
import { NS_STANZAS } from "../xmpp/namespaces.js";
import { NS_DISCO_INFO } from "../xeps/disco.js";

export const NS_MUC = "http://jabber.org/protocol/muc";
export const NS_MUC_USER = "http://jabber.org/protocol/muc#user";

/** XEP-0045 10.2 status codes the agent acts on. */
export const STATUS = {
  nonAnonymous: 100,
  self: 110,
  created: 201,
  banned: 301,
  nickChanged: 303,
  kicked: 307,
  nowNonAnonymous: 172,
  nowSemiAnonymous: 173,
} as const;

/** 6.4: the room's disco#info; a room that does not exist answers item-not-found. */
export function roomInfoQuery(room: string): Element {
  return xml("iq", { type: "get", to: room }, xml("query", { xmlns: NS_DISCO_INFO }));
}

/** 7.2.1: our health presence, addressed to room/nick, with no history replay (7.2.13: maxchars='0'). */
export function joinPresence(presence: Element, occupant: string): Element {
  presence.attrs.to = occupant;
  presence.append(xml("x", { xmlns: NS_MUC }, xml("history", { maxchars: "0" })));
  return presence;
}

/** 7.14: leaving, with the reason as status, as the roster's unavailable presence says it. */
export function leavePresence(occupant: string, status: string): Element {
  return xml("presence", { to: occupant, type: "unavailable" }, xml("status", {}, status));
}

/** 7.4: a groupchat message to everyone in the room. */
export function groupchatMessage(room: string, body: string): Element {
  return xml("message", { to: room, type: "groupchat" }, xml("body", {}, body));
}

export interface RoomPresence {
  nick: string;
  kind: "available" | "unavailable" | "error";
  /** 110: this presence is about us. */
  self: boolean;
  codes: Set<number>;
  /** <item jid=...>: the occupant's real JID, where the room shows it to us. */
  realJid: string | null;
  /** 10.9: the room was destroyed; its reason, when given. */
  destroyed: { reason: string | null; alternate: string | null } | null;
  /** For an error presence: its defined condition (RFC 6120 8.3.3) and text. */
  error: { condition: string; text: string | null } | null;
}

/** A presence from an occupant of `room` (room@service/nick), or null for anything else. */
export function readRoomPresence(stanza: Element, room: string): RoomPresence | null {
  if (!stanza.is("presence")) return null;
  const from = String(stanza.attrs.from ?? "");
  const nick = resourceOf(from);
  if (nick === null || bareJid(from) !== room.toLowerCase()) return null;
  const type = stanza.attrs.type as string | undefined;
  if (type !== undefined && type !== "unavailable" && type !== "error") return null;
  const x = stanza.getChild("x", NS_MUC_USER);
  const codes = new Set((x?.getChildren("status") ?? []).map((s) => Number(s.attrs.code)));
  const item = x?.getChild("item");
  const destroy = x?.getChild("destroy");
  const error = type === "error" ? stanza.getChild("error") : undefined;
  const condition = error?.getChildElements().find((c) => c.getNS() === NS_STANZAS && c.name !== "text");
  return {
    nick,
    kind: type === "unavailable" ? "unavailable" : type === "error" ? "error" : "available",
    self: codes.has(STATUS.self),
    codes,
    realJid: typeof item?.attrs.jid === "string" && item.attrs.jid !== "" ? item.attrs.jid : null,
    destroyed: destroy ? { reason: destroy.getChildText("reason") || null, alternate: (destroy.attrs.jid as string | undefined) ?? null } : null,
    error: type === "error" ? { condition: condition?.name ?? "undefined-condition", text: error?.getChildText("text", NS_STANZAS) || null } : null,
  };
}

/** 10.2.1: the status codes of a notice from the room itself (a configuration change), or null for anything else. */
export function readRoomNotice(stanza: Element, room: string): Set<number> | null {
  if (!stanza.is("message") || stanza.attrs.type === "error") return null;
  if (String(stanza.attrs.from ?? "").toLowerCase() !== room.toLowerCase()) return null;
  const x = stanza.getChild("x", NS_MUC_USER);
  return x ? new Set(x.getChildren("status").map((s) => Number(s.attrs.code))) : null;
}

/** The nick for the n-th try after conflicts (XEP-0045 7.2.9): "pi-42", "pi-42-2", "pi-42-3", ... */
export function nickFor(base: string, attempt: number): string {
  return attempt === 0 ? base : `${base}-${attempt + 1}`;
}
