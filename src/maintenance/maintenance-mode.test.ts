import { test } from "node:test";
import assert from "node:assert/strict";
import { clockTime, silenceNote } from "./maintenance-mode.js";

const NOW = Date.UTC(2026, 10, 25, 12, 10, 30);

test("the end of a silence is read in UTC, with the date when it is another day", () => {
  assert.equal(clockTime(NOW + 25 * 60_000, NOW), "12:35 UTC");
  assert.equal(clockTime(NOW + 12 * 3600_000, NOW), "2026-11-26 00:10 UTC");
});

test("replies say the minutes left; the status line (no clock given) only the end", () => {
  const s = { until: NOW + 25 * 60_000, reason: "cabling", level: "ok" as const };
  assert.equal(silenceNote(s, NOW), "silenced until 12:35 UTC, 25 min left (cabling)");
  assert.equal(silenceNote(s, NOW + 24.5 * 60_000), "silenced until 12:35 UTC, 1 min left (cabling)");
  assert.equal(silenceNote({ ...s, until: NOW + 150 * 60_000, reason: "" }, NOW), "silenced until 14:40 UTC, 2h30m left");
  assert.match(silenceNote(s), /^silenced until (\d{4}-\d\d-\d\d )?12:35 UTC \(cabling\)$/);
});
