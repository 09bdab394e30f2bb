// Health level -> RFC 6121 presence. 4.7.2.1: <show> is away, chat, dnd or xa; "available" is the
// absence of <show>, never a value of it.
import { xml, type Element } from "@xmpp/client";
import type { Level } from "../health/level.js";

export type Show = "away" | "dnd" | "xa" | null;

export const SHOW_FOR_LEVEL: Record<Level, Show> = { ok: null, warn: "away", crit: "dnd", unknown: "xa" };

export interface PresenceContent {
  show: Show;
  status: string;
  priority: number;
}

export function availablePresence({ show, status, priority }: PresenceContent, caps: Element): Element {
  return xml(
    "presence",
    {},
    ...(show ? [xml("show", {}, show)] : []),
    xml("status", {}, status),
    xml("priority", {}, String(priority)),
    caps,
  );
}

export function unavailablePresence(status: string): Element {
  return xml("presence", { type: "unavailable" }, xml("status", {}, status));
}
