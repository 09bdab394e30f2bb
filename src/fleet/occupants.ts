// Who is behind each nick in the fleet room, as far as the room tells us: a non-anonymous room (XEP-0045
// 7.2.3, whois=anyone) puts the real JID in every occupant's presence, a semi-anonymous one only for moderators.
// A private message from room/nick speaks for that real JID, or for no one when the room hides it.
import { bareJid, resourceOf } from "../jid.js";
import type { RoomPresence } from "./stanzas.js";

export function occupantTable(room: string) {
  const realJids = new Map<string, string | null>();
  const roomBare = room.toLowerCase();
  return {
    /** Follows the room's presences in the order they arrive (a nick may change hands). */
    see(presence: RoomPresence) {
      if (presence.kind === "available") realJids.set(presence.nick, presence.realJid);
      else realJids.delete(presence.nick);
    },
    clear: () => realJids.clear(),
    /**
     * The sender a stanza from `from` speaks for: `from` itself, unless it comes from the fleet room, where it is
     * the occupant's real JID the room showed us, or null (unknown: not to be answered).
     */
    senderOf(from: string): string | null {
      if (bareJid(from) !== roomBare) return from;
      const nick = resourceOf(from);
      if (nick === null) return null; // the room itself
      return realJids.get(nick) ?? null;
    },
  };
}
