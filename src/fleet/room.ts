// The fleet room (fleet.room): every device of a fleet in one XEP-0045 room, so one occupant list shows them all
// with their health presence (the one the roster got last), and fleet.announce tells the room of level changes.
// Optional: with no room configured, a no-op whose senderOf is the identity.
// https://xmpp.org/extensions/xep-0045.html
import { hostname } from "node:os";
import type { Element } from "@xmpp/client";
import type { AgentConfig } from "../config/load.js";
import type { AgentBus } from "../events.js";
import type { Level } from "../health/level.js";
import type { Capability } from "../lifecycle.js";
import type { Logger } from "../log.js";
import type { XmppLink } from "../xmpp/link.js";
import { NOTHING_TOLD, announcementLine, nextAnnouncement } from "./announce.js";
import { roomMembership } from "./membership.js";
import { occupantTable } from "./occupants.js";
import { groupchatMessage } from "./stanzas.js";

export interface FleetDeps {
  link: Pick<XmppLink, "xmpp" | "isOnline" | "beforeClose">;
  events: AgentBus;
  config: AgentConfig["fleet"];
  /** The presence the roster got last (the publisher's), built afresh: the room shows the same. */
  presence(): Element | null;
  /** Upper bound of the rejoin backoff (xmpp.reconnectMaxSeconds). */
  backoffCapMs: number;
  log: Logger;
  now?: () => number;
}

export interface FleetRoom extends Capability {
  /** For the chat handler: a room occupant speaks for its real JID where the room shows it, else for no one. */
  senderOf(from: string): string | null;
}

export function fleetRoom({ link, events, config, presence, backoffCapMs, log, now = Date.now }: FleetDeps): FleetRoom {
  if (config.room === "") return { senderOf: (from) => from, stop() {} };
  const { xmpp } = link;
  const nick = config.nick || hostname();
  const occupants = occupantTable(config.room);
  const minIntervalMs = config.announceMinIntervalSeconds * 1000;
  let membership: ReturnType<typeof roomMembership> | null = null;
  let told = NOTHING_TOLD;
  let latest: { level: Level; reasons: string[] } | null = null;
  let retry: NodeJS.Timeout | null = null;
  let unsubscribe: Array<() => void> = [];

  function considerAnnouncing() {
    if (retry) clearTimeout(retry);
    retry = null;
    if (!latest) return;
    const step = nextAnnouncement(told, latest.level, now(), minIntervalMs);
    told = step.state;
    if (step.retryAt !== null) retry = setTimeout(considerAnnouncing, Math.max(0, step.retryAt - now()));
    if (!step.say) return;
    // Out of the room, the join presence will show the level: nothing to say
    if (!membership?.isJoined()) return;
    const line = announcementLine(nick, step.say.from, step.say.to, latest.reasons);
    log.info({ room: config.room, line }, "fleet: announcing a level change");
    xmpp.send(groupchatMessage(config.room, line)).catch((err: Error) => log.warn({ err: { message: err.message } }, "fleet: announcement not sent"));
  }

  return {
    start() {
      const joined = roomMembership({
        xmpp,
        room: config.room,
        nick,
        presence,
        occupants,
        backoffCapMs,
        log,
        now,
      });
      membership = joined;
      unsubscribe = [
        // Each presence the publisher sends: the room gets it too (or it is the one to join with)
        events.on("presenceSent", () => joined.presenceChanged()),
        // The level the presence shows (held while silenced) and its reasons, for fleet.announce
        events.on("presenceWanted", ({ level, reasons }) => {
          if (!config.announce) return;
          latest = { level, reasons };
          considerAnnouncing();
        }),
      ];
    },
    senderOf: occupants.senderOf,
    stop(reason) {
      for (const off of unsubscribe) off();
      if (retry) clearTimeout(retry);
      // 7.14: unavailable with the reason, before the roster's (which does not reach the room on every server)
      if (membership && link.isOnline()) link.beforeClose(membership.leave(`stopping: ${reason}`));
      membership?.stop();
    },
  };
}
