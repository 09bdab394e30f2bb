import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { NS_MUC, NS_MUC_USER, joinPresence, nickFor, readRoomNotice, readRoomPresence, roomInfoQuery } from "./stanzas.js";

const ROOM = "fleet@conference.example.org";
const occupantPresence = (nick: string, attrs: Record<string, string>, ...codes: number[]) =>
  xml("presence", { from: `${ROOM}/${nick}`, ...attrs }, xml("x", NS_MUC_USER, xml("item", { affiliation: "none", role: "participant", ...(attrs.jid ? { jid: attrs.jid } : {}) }), ...codes.map((code) => xml("status", { code: String(code) }))));

test("the join carries the health presence to room/nick and asks for no history", () => {
  const join = joinPresence(xml("presence", {}, xml("show", {}, "away"), xml("status", {}, "temp 78°C >= 70")), `${ROOM}/pi-42`);
  assert.equal(join.attrs.to, `${ROOM}/pi-42`);
  assert.equal(join.getChildText("show"), "away");
  assert.equal(join.getChild("x", NS_MUC)?.getChild("history")?.attrs.maxchars, "0");
});

test("a kick of our own occupant reads as self, unavailable, 307", () => {
  const p = readRoomPresence(occupantPresence("pi-42", { type: "unavailable" }, 307, 110), ROOM)!;
  assert.equal(p.kind, "unavailable");
  assert.equal(p.self, true);
  assert.ok(p.codes.has(307));
});

test("a join refused for a taken nick reads as error conflict", () => {
  const stanza = xml("presence", { from: `${ROOM}/pi-42`, type: "error" }, xml("error", { type: "cancel" }, xml("conflict", "urn:ietf:params:xml:ns:xmpp-stanzas")));
  assert.deepEqual(readRoomPresence(stanza, ROOM)?.error, { condition: "conflict", text: null });
});

test("presences from elsewhere, or subscription requests, are not the room's", () => {
  assert.equal(readRoomPresence(xml("presence", { from: "alice@example.org/phone" }), ROOM), null);
  assert.equal(readRoomPresence(xml("presence", { from: `${ROOM}/x`, type: "subscribe" }), ROOM), null);
});

test("nicks after a conflict get a suffix", () => {
  assert.deepEqual([0, 1, 2].map((n) => nickFor("pi-42", n)), ["pi-42", "pi-42-2", "pi-42-3"]);
});

test("the room is asked for its disco#info before a join", () => {
  const iq = roomInfoQuery(ROOM);
  assert.deepEqual(iq.attrs, { type: "get", to: ROOM });
  assert.equal(iq.getChild("query")?.attrs.xmlns, "http://jabber.org/protocol/disco#info");
});

test("a configuration change notice from the room reads as its status codes; groupchat lines do not", () => {
  // As Prosody 0.12 and ejabberd 23.01 send it when the owner sets muc#roomconfig_whois to anyone
  const notice = xml("message", { from: ROOM, type: "groupchat" }, xml("x", NS_MUC_USER, xml("status", { code: "172" }), xml("status", { code: "104" })));
  assert.deepEqual(readRoomNotice(notice, ROOM), new Set([172, 104]));
  assert.equal(readRoomNotice(xml("message", { from: `${ROOM}/boss`, type: "groupchat" }, xml("body", {}, "172")), ROOM), null);
  assert.equal(readRoomNotice(xml("message", { from: ROOM, type: "groupchat" }, xml("subject")), ROOM), null);
  assert.equal(readRoomNotice(xml("message", { from: "other@conference.example.org", type: "groupchat" }, xml("x", NS_MUC_USER, xml("status", { code: "172" }))), ROOM), null);
});
