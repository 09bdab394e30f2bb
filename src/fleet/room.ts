// The fleet room (fleet.room): every device of a fleet in one XEP-0045 room, so one occupant list shows them all
// with their health presence. Optional: with no room configured, a no-op whose senderOf is the identity.
// https://xmpp.org/extensions/xep-0045.html
import { hostname } from "node:os";
import type { Client, Element } from "@xmpp/client";
import type { AgentConfig } from "../config/load.js";
import type { Level } from "../health/level.js";
import type { Logger } from "../log.js";
import { NOTHING_TOLD, announcementLine, nextAnnouncement } from "./announce.js";
import { roomMembership } from "./membership.js";
import { occupantTable } from "./occupants.js";
import { groupchatMessage } from "./stanzas.js";

export interface FleetDeps {
  xmpp: Client;
  config: AgentConfig["fleet"];
  /** The presence the roster got last (the publisher's), built afresh: the room shows the same. */
  presence(): Element | null;
  /** Upper bound of the rejoin backoff (xmpp.reconnectMaxSeconds). */
  backoffCapMs: number;
  log: Logger;
  now?: () => number;
}

export interface FleetRoom {
  /** Call after each presence the publisher sends. */
  presenceChanged(): void;
  /** The level the presence shows (held during maintenance) and its reasons, for fleet.announce. */
  healthChanged(level: Level, reasons: string[]): void;
  /** For the chat handler: a room occupant speaks for its real JID where the room shows it, else for no one. */
  senderOf(from: string): string | null;
  leave(status: string): Promise<void>;
  stop(): void;
}

export function fleetRoom({ xmpp, config, presence, backoffCapMs, log, now = Date.now }: FleetDeps): FleetRoom {
  if (config.room === "") {
    return { presenceChanged() {}, healthChanged() {}, senderOf: (from) => from, leave: async () => {}, stop() {} };
  }
  const nick = config.nick || hostname();
  const occupants = occupantTable(config.room);
  const membership = roomMembership({
    xmpp,
    room: config.room,
    nick,
    presence,
    occupants,
    backoff: { baseMs: 1000, capMs: backoffCapMs, floorMs: 500 },
    log,
    now,
  });

  let told = NOTHING_TOLD;
  let latest: { level: Level; reasons: string[] } | null = null;
  let retry: NodeJS.Timeout | null = null;
  const minIntervalMs = config.announceMinIntervalSeconds * 1000;

  function considerAnnouncing() {
    if (retry) clearTimeout(retry);
    retry = null;
    if (!latest) return;
    const step = nextAnnouncement(told, latest.level, now(), minIntervalMs);
    told = step.state;
    if (step.retryAt !== null) retry = setTimeout(considerAnnouncing, Math.max(0, step.retryAt - now()));
    if (!step.say) return;
    // Out of the room, the join presence will show the level: nothing to say
    if (!membership.isJoined()) return;
    const line = announcementLine(nick, step.say.from, step.say.to, latest.reasons);
    log.info({ room: config.room, line }, "fleet: announcing a level change");
    xmpp.send(groupchatMessage(config.room, line)).catch((err: Error) => log.warn({ err: { message: err.message } }, "fleet: announcement not sent"));
  }

  return {
    presenceChanged: membership.presenceChanged,
    healthChanged(level, reasons) {
      if (!config.announce) return;
      latest = { level, reasons };
      considerAnnouncing();
    },
    senderOf: occupants.senderOf,
    leave: membership.leave,
    stop() {
      if (retry) clearTimeout(retry);
      membership.stop();
    },
  };
}
