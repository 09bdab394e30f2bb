import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { NS_MUC_USER, readRoomPresence } from "./stanzas.js";
import { occupantTable } from "./occupants.js";

const ROOM = "fleet@conference.example.org";
const occupantPresence = (nick: string, attrs: Record<string, string>) =>
  xml("presence", { from: `${ROOM}/${nick}`, ...attrs }, xml("x", NS_MUC_USER, xml("item", { affiliation: "none", role: "participant", ...(attrs.jid ? { jid: attrs.jid } : {}) })));

test("a private message speaks for the real JID the room showed, and for no one where it hid it", () => {
  const table = occupantTable(ROOM);
  table.see(readRoomPresence(occupantPresence("alice", { jid: "alice@example.org/gajim" }), ROOM)!);
  table.see(readRoomPresence(occupantPresence("anon", {}), ROOM)!);
  assert.equal(table.senderOf(`${ROOM}/alice`), "alice@example.org/gajim");
  assert.equal(table.senderOf(`${ROOM}/anon`), null);
  assert.equal(table.senderOf(`${ROOM}/nobody`), null);
  assert.equal(table.senderOf(ROOM), null);
  assert.equal(table.senderOf("bob@example.org/phone"), "bob@example.org/phone");
  // alice leaves; whoever takes her nick next is someone else
  table.see(readRoomPresence(occupantPresence("alice", { type: "unavailable", jid: "alice@example.org/gajim" }), ROOM)!);
  assert.equal(table.senderOf(`${ROOM}/alice`), null);
});
