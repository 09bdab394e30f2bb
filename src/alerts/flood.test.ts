import { test } from "node:test";
import assert from "node:assert/strict";
import { floodGuard } from "./flood.js";
import { parseChatCommand } from "../chat/parse.js";
import { describeChoice } from "./replies.js";
import { stateDirectory } from "./choices.js";

test("the flood guard lets at most perMinute messages reach one operator in any 60 s", () => {
  const guard = floodGuard({ perMinute: 6 });
  let allowed = 0;
  for (let i = 0; i < 1000; i++) if (guard.allow("alice@x", i * 50)) allowed++;
  assert.equal(allowed, 6 * Math.ceil(50_000 / 60_000), "50 s of a message every 50 ms: 6");
  assert.equal(guard.allow("bob@x", 0), true, "others are not affected");
  assert.equal(guard.allow("alice@x", 60_000), true, "a minute after the first, one more");
});

test("chat: ack, alerts, test alert, thresholds and sample", () => {
  assert.deepEqual(parseChatCommand("ack"), { name: "ack" });
  assert.deepEqual(parseChatCommand("ACK 0K3F"), { name: "ack", id: "0k3f" });
  assert.equal(parseChatCommand("ack this now").name, "invalid");
  assert.deepEqual(parseChatCommand("alerts"), { name: "alerts" });
  assert.deepEqual(parseChatCommand("Alerts Warn"), { name: "alerts", choice: "warn" });
  assert.equal(parseChatCommand("alerts loud").name, "invalid");
  assert.deepEqual(parseChatCommand("test alert"), { name: "test alert" });
  assert.equal(parseChatCommand("test").name, "invalid");
  assert.deepEqual(parseChatCommand("thresholds"), { name: "thresholds" });
  assert.deepEqual(parseChatCommand("sample"), { name: "sample" });
});

test("`alerts` says what you get, whether it is kept, and whether you are subscribed at all", () => {
  const base = { choice: "crit" as const, changed: false, deviceDefault: "crit" as const, kept: true, subscribed: true, open: null };
  assert.match(describeChoice(base), /^You get alerts at CRIT or worse \(CRIT, UNREADABLE\) \(the device's default\)\./);
  assert.match(describeChoice({ ...base, choice: "off", changed: true, kept: false }), /^From now on you get no alerts\.\nNot kept across restarts/);
  assert.match(describeChoice({ ...base, subscribed: false }), /not subscribed/);
  assert.match(describeChoice({ ...base, open: { id: "0k3f", level: "crit", opened: "14:02 CET", ackedBy: null } }), /Open: alert 0k3f, CRIT, since 14:02 CET, not acknowledged/);
});

test("the state directory: the config key, else systemd's first $STATE_DIRECTORY, else none", () => {
  assert.equal(stateDirectory("/srv/agent", { STATE_DIRECTORY: "/var/lib/x" }), "/srv/agent");
  assert.equal(stateDirectory("", { STATE_DIRECTORY: "/var/lib/x:/var/lib/y" }), "/var/lib/x");
  assert.equal(stateDirectory("", {}), null);
});
