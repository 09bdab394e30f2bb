import { test } from "node:test";
import assert from "node:assert/strict";
import { NOTHING_TOLD, announcementLine, nextAnnouncement } from "./announce.js";

const MIN = 300_000;

test("the first level is not announced: the join presence shows it", () => {
  const step = nextAnnouncement(NOTHING_TOLD, "ok", 0, MIN);
  assert.equal(step.say, null);
  assert.equal(step.state.told, "ok");
});

test("a level change is announced once, with the levels it went between", () => {
  const first = nextAnnouncement({ told: "warn", at: -Infinity }, "crit", 1000, MIN);
  assert.deepEqual(first.say, { from: "warn", to: "crit" });
  assert.deepEqual(nextAnnouncement(first.state, "crit", 2000, MIN).say, null);
});

test("inside the interval a change waits for its end, and a flap back says nothing", () => {
  const told = { told: "ok" as const, at: 0 };
  assert.deepEqual(nextAnnouncement(told, "warn", 10_000, MIN), { state: told, say: null, retryAt: MIN });
  assert.deepEqual(nextAnnouncement(told, "ok", MIN, MIN), { state: told, say: null, retryAt: null });
  assert.deepEqual(nextAnnouncement(told, "warn", MIN, MIN).say, { from: "ok", to: "warn" });
});

test("the line reads like the README's example", () => {
  assert.equal(announcementLine("pi-42", "warn", "crit", ["temp 85°C ≥ 80"]), "pi-42: warn → crit: temp 85°C ≥ 80");
  assert.equal(announcementLine("pi-42", "crit", "ok", []), "pi-42: crit → ok");
});
