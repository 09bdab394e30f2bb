import { test } from "node:test";
import assert from "node:assert/strict";
import { ackedNote, ackReply, choiceReply, reminderText, testText, wants } from "./news.js";
import type { Note } from "./fleet.js";
import type { Problem } from "./reminders.js";

const at = Date.UTC(2026, 11, 7, 12, 4);
const problem = (device: string, kind: Problem["kind"], status = "", ackedBy: string | null = null): Problem => ({ device: `${device}@x`, kind, since: at, status, ackedBy });
const note = (kind: Note["kind"], level: Note["level"] = null): Note => ({ device: "pi-3@x", kind, level, status: "", at });

test("who gets what: off nothing; crit problems, their recoveries and clean stops; warn everything", () => {
  for (const n of [note("offline"), note("silent"), note("stopped"), note("back"), note("level", "crit"), note("level", "unknown"), note("level", "warn")]) {
    assert.equal(wants("off", n, true), false);
    assert.equal(wants("warn", n, false), true);
  }
  assert.equal(wants("crit", note("level", "crit"), false), true);
  assert.equal(wants("crit", note("stopped"), false), true);
  assert.equal(wants("crit", note("level", "warn"), false), false, "ok to warn: not for crit");
  assert.equal(wants("crit", note("level", "ok"), false), false, "warn to ok: not for crit");
  assert.equal(wants("crit", note("level", "ok"), true), true, "crit to ok: the recovery");
  assert.equal(wants("crit", note("level", "warn"), true), true, "crit to warn: crit is over");
});

test("a reminder: the count first, the worst first, since when with the zone and how long, then what to do", () => {
  const text = reminderText([problem("pi-3", "offline"), problem("pi-4", "crit", "RAM 97% >= 95, CPU 3%"), problem("pi-10", "silent")], at + 25 * 60_000, "UTC");
  assert.equal(
    text,
    [
      "still bad: 3 devices not acknowledged",
      "pi-4 crit (RAM 97% ≥ 95) since 12:04 UTC (25 min)",
      "pi-3 offline since 12:04 UTC (25 min)",
      "pi-10 silent since 12:04 UTC (25 min)",
      "send ack to stop reminders",
    ].join("\n"),
  );
  const many = reminderText(Array.from({ length: 12 }, (_, i) => problem(`pi-${i}`, "offline")), at, "UTC").split("\n");
  assert.equal(many.length, 13);
  assert.equal(many[11], "... and 2 more");
  assert.doesNotMatch(reminderText([problem("pi-1", "crit", "a < b & c > d")], at), /[<>&]/);
});

test("ack: what was acked, to the one who sent it; one line to the others; nothing open said so", () => {
  const acked = [problem("pi-3", "offline", "", "ops@x"), problem("pi-4", "crit", "", "ops@x")];
  assert.equal(ackReply(acked, []), "acked 2 devices: pi-4 crit, pi-3 offline\nno more reminders for them; a new problem is told again");
  assert.equal(ackedNote("ops@x", acked), "acked by ops@x: 2 devices (pi-4 crit, pi-3 offline); no more reminders for them");
  assert.equal(ackReply([], []), "nothing to ack: no device is offline, silent, crit or unreadable");
  assert.equal(ackReply([], acked), "nothing new to ack: 2 devices acked already by ops@x: pi-4 crit, pi-3 offline");
});

test("alerts: what you get, whether it is kept, what is open; test alert looks like news and says it is a test", () => {
  assert.equal(
    choiceReply({ choice: "crit", changed: false, watcherDefault: "crit", kept: true, open: [] }),
    "You get devices offline, silent, crit or unreadable and their recoveries, clean stops, and reminders (the watcher's default).\nChange with: alerts off, alerts warn, alerts crit. test alert sends you one.",
  );
  const off = choiceReply({ choice: "off", changed: true, watcherDefault: "crit", kept: false, open: [problem("pi-3", "offline")] }).split("\n");
  assert.equal(off[0], "From now on you get nothing from the watcher: no news, no reminders.");
  assert.equal(off[1], "Not kept across restarts: the watcher has no state directory.");
  assert.equal(off[2], "Open: 1 device, 1 not acknowledged: send fleet.");
  const test = testText("crit", at, "UTC");
  assert.equal(test, "TEST from the watcher, nothing is wrong: its news looks like this\nexample-pi crit (RAM 97% ≥ 95)\nsent 12:04 UTC at your request");
  assert.match(testText("off", at, "UTC"), /you chose alerts off, so you get no news$/);
});
