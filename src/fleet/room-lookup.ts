// Before each join, ask whether the fleet room exists (XEP-0045 6.4, disco#info to the room): a join to a room
// that does not exist creates it, and ejabberd 23.01 does not lock a new room as Prosody does, so another device
// could settle in that device-made room, which its owners could then neither create nor configure
// (docs/servers.md). Only "no such room" keeps the device out; any other answer leaves it to the join.
import type { Client } from "@xmpp/client";
import { roomInfoQuery } from "./stanzas.js";

/** item-not-found: no such room; gone: destroyed, and the server keeps its tombstone (Prosody's default). */
const NO_SUCH_ROOM = new Set(["item-not-found", "gone"]);

/** The error condition with which the server says the room does not exist, or null. */
export async function roomMissing(xmpp: Client, room: string, timeoutMs: number): Promise<string | null> {
  try {
    await xmpp.iqCaller.request(roomInfoQuery(room), timeoutMs);
    return null;
  } catch (error) {
    const condition = (error as { condition?: unknown }).condition;
    return typeof condition === "string" && NO_SUCH_ROOM.has(condition) ? condition : null;
  }
}
