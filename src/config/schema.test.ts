import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./load.js";

test("the fleet room is off by default, announcements too", () => {
  assert.deepEqual(loadConfig({ env: {} }).fleet, { room: "", nick: "", announce: false, announceMinIntervalSeconds: 300 });
});

test("a room that is no bare JID is refused, and the message names the key", () => {
  assert.throws(() => loadConfig({ env: { AGENT_FLEET_ROOM: "conference.example.org/fleet" } }), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /fleet\.room: must be a room's bare JID like fleet@conference\.example\.org/);
    return true;
  });
});

test("a room and nick from the environment", () => {
  const { fleet } = loadConfig({ env: { AGENT_FLEET_ROOM: "fleet@conference.example.org", AGENT_FLEET_NICK: "pi-42" } });
  assert.equal(fleet.room, "fleet@conference.example.org");
  assert.equal(fleet.nick, "pi-42");
});
