import { test } from "node:test";
import assert from "node:assert/strict";
import { answerText, parseWatchCommand, type WatchAsk } from "./chat.js";
import { initialFleet } from "./fleet.js";

test("the watcher's commands: case and extra spaces do not matter; wrong arguments get the usage", () => {
  assert.deepEqual(parseWatchCommand("  Fleet "), { name: "fleet" });
  assert.deepEqual(parseWatchCommand("fleet pi-3"), { name: "fleet", device: "pi-3" });
  assert.deepEqual(parseWatchCommand("ACK"), { name: "ack" });
  assert.deepEqual(parseWatchCommand("ack 0k3f"), { name: "invalid", message: "usage: ack (acknowledges every open problem at once)" });
  assert.deepEqual(parseWatchCommand("alerts"), { name: "alerts" });
  assert.deepEqual(parseWatchCommand("alerts Off"), { name: "alerts", choice: "off" });
  assert.equal(parseWatchCommand("alerts loud").name, "invalid");
  assert.deepEqual(parseWatchCommand("test  alert"), { name: "test alert" });
  assert.equal(parseWatchCommand("test").name, "invalid");
  assert.deepEqual(parseWatchCommand("?"), { name: "help" });
  assert.deepEqual(parseWatchCommand("status <b>"), { name: "unknown", word: "status" });
  assert.deepEqual(parseWatchCommand("<b>&"), { name: "unknown", word: "b" });
});

test("ack, alerts and test alert are answered by the alerts, for the one who asked", () => {
  const asked: string[] = [];
  const alerts: WatchAsk = {
    ack: (from) => (asked.push(`ack ${from}`), "acked"),
    choose: (from, choice) => (asked.push(`alerts ${from} ${choice ?? ""}`), "you get"),
    testAlert: (from) => (asked.push(`test ${from}`), null),
  };
  const fleet = initialFleet([], 0);
  assert.equal(answerText("ack", "ops@x/phone", fleet, alerts, 0), "acked");
  assert.equal(answerText("alerts warn", "ops@x/phone", fleet, alerts, 0), "you get");
  assert.equal(answerText("test alert", "ops@x/phone", fleet, alerts, 0), null);
  assert.deepEqual(asked, ["ack ops@x/phone", "alerts ops@x/phone warn", "test ops@x/phone"]);
  assert.match(answerText("help", "ops@x/phone", fleet, alerts, 0)!, /^ack: .*\nalerts \[off\|warn\|crit\]: .*\ntest alert: /m);
  assert.equal(answerText("fleet", "ops@x/phone", fleet, alerts, 0), "no devices watched: set watch.devices");
});
