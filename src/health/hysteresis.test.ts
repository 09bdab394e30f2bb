import { test } from "node:test";
import assert from "node:assert/strict";
import { INITIAL_HEALTH, stepHealth, type HealthState } from "./hysteresis.js";
import type { Level } from "./level.js";

const config = { raiseAfter: 3, clearAfter: 2 };
const run = (levels: Level[], from: HealthState = INITIAL_HEALTH) => {
  const seen: Level[] = [];
  let state = from;
  for (const level of levels) {
    state = stepHealth(state, { level, reasons: level === "ok" ? [] : [`${level} reason`] }, config);
    seen.push(state.level);
  }
  return seen;
};

test("the first sample sets the level at once", () => {
  assert.deepEqual(run(["warn"]), ["warn"]);
});

test("a level is raised after raiseAfter consecutive worse samples and cleared after clearAfter better ones", () => {
  assert.deepEqual(run(["ok", "warn", "warn", "warn", "ok", "ok"]), ["ok", "ok", "ok", "warn", "warn", "ok"]);
});

test("a value wobbling around a threshold every sample never changes the level", () => {
  const wobble = Array.from({ length: 40 }, (_, i) => (i % 2 ? "warn" : "ok") as Level);
  assert.deepEqual(new Set(run(wobble)), new Set(["ok"]));
});

test("a run mixing warn and crit raises to warn: the level every sample in it reached", () => {
  assert.deepEqual(run(["ok", "crit", "warn", "crit"]), ["ok", "ok", "ok", "warn"]);
});

test("samples that cannot be read become unknown only after raiseAfter of them", () => {
  assert.deepEqual(run(["ok", "unknown", "unknown", "unknown"]), ["ok", "ok", "ok", "unknown"]);
});

test("reasons held while a run waits keep the time they were measured; settled ones take the sample's", () => {
  const config = { raiseAfter: 3, clearAfter: 3 };
  const warn = stepHealth(INITIAL_HEALTH, { level: "warn", reasons: ["CPU 85% ≥ 85"] }, config, 1000);
  const waiting = stepHealth(warn, { level: "ok", reasons: [] }, config, 2000);
  assert.deepEqual([waiting.level, waiting.reasons, waiting.measuredAt], ["warn", ["CPU 85% ≥ 85"], 1000]);
  assert.equal(stepHealth(waiting, { level: "warn", reasons: ["CPU 90% ≥ 85"] }, config, 3000).measuredAt, 3000);
});
