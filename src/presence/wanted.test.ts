import { test } from "node:test";
import assert from "node:assert/strict";
import { wantedPresence } from "./wanted.js";
import { healthySample } from "../../test/support/healthy-sample.js";
import { clockTime } from "../maintenance/maintenance-mode.js";
import type { HealthState } from "../health/hysteresis.js";

const sample = healthySample({ temperature: { celsius: 78, source: "thermal_zone0" } });
const warm: HealthState = { level: "warn", reasons: ["temp 78°C >= 75"], started: true, streak: null };

test("the presence shows the health level, with its reasons first in the status", () => {
  assert.deepEqual(wantedPresence({ state: warm, sample }, null), {
    level: "warn",
    status: "temp 78°C >= 75 | CPU 12% RAM 40% disk 55% 78°C up 3d4h",
    reasons: ["temp 78°C >= 75"],
  });
});

test("while silenced the presence keeps the level it was silenced at and says until when, without reasons", () => {
  const until = Date.UTC(2024, 5, 1, 14, 30);
  const wanted = wantedPresence({ state: warm, sample }, { until, reason: "firmware update", level: "ok" });
  assert.deepEqual(wanted, {
    level: "ok",
    status: `silenced until ${clockTime(until)} (firmware update) | CPU 12% RAM 40% disk 55% 78°C up 3d4h`,
    reasons: [],
  });
});

test("before the first sample the presence says the health is unknown, and why", () => {
  const wanted = wantedPresence({ state: { level: "unknown", reasons: ["no sample yet"], started: false, streak: null }, sample: null }, null);
  assert.deepEqual(wanted, { level: "unknown", status: "no sample yet", reasons: ["no sample yet"] });
});
