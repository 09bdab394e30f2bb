import { test } from "node:test";
import assert from "node:assert/strict";
import type { Client, Element } from "@xmpp/client";
import { roomMissing } from "./room-lookup.js";

const ROOM = "fleet@conference.example.org";
// What @xmpp/client's iqCaller does with the room's answer: resolves with a result, rejects with a StanzaError
const answering = (answer: () => Promise<Element>) => ({ iqCaller: { request: answer } }) as unknown as Client;
const refusing = (condition: string) => answering(() => Promise.reject(Object.assign(new Error(condition), { name: "StanzaError", condition })));

test("a room that answers disco#info exists", async () => {
  assert.equal(await roomMissing(answering(() => Promise.resolve({} as Element)), ROOM, 1000), null);
});

test("item-not-found (no such room) and gone (a destroyed room's tombstone) keep the device out", async () => {
  assert.equal(await roomMissing(refusing("item-not-found"), ROOM, 1000), "item-not-found");
  assert.equal(await roomMissing(refusing("gone"), ROOM, 1000), "gone");
});

test("any other answer, or none, leaves it to the join", async () => {
  assert.equal(await roomMissing(refusing("forbidden"), ROOM, 1000), null);
  assert.equal(await roomMissing(answering(() => Promise.reject(Object.assign(new Error("timeout"), { name: "TimeoutError" }))), ROOM, 1000), null);
});
