import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../config/load.js";
import { assessHealth } from "./level.js";
import { healthySample } from "../../test/support/healthy-sample.js";
import { throttlingFromBits } from "../sampling/parse/throttled.js";

const thresholds = loadConfig({ env: {} }).thresholds;

test("a healthy device is ok with no reasons", () => {
  assert.deepEqual(assessHealth(healthySample(), thresholds), { level: "ok", reasons: [] });
});

test("reasons name the metric, the value and the threshold, worst first", () => {
  const sample = healthySample({
    temperature: { celsius: 78.4, source: "t" },
    disks: [{ mount: "/", mounted: true, usedPercent: 96, usedBytes: 1, totalBytes: 1 }],
  });
  assert.deepEqual(assessHealth(sample, thresholds), { level: "crit", reasons: ["disk / 96% ≥ 95", "temp 78°C ≥ 70"] });
});

test("a missing sensor is not a problem; an unreadable /proc is unknown", () => {
  assert.equal(assessHealth(healthySample({ temperature: null, cpuPercent: null }), thresholds).level, "ok");
  const unreadable = healthySample({ memoryPercent: null, load1: null, loadPerCore: null });
  assert.deepEqual(assessHealth(unreadable, thresholds), { level: "unknown", reasons: ["health unreadable"] });
  assert.equal(assessHealth(null, thresholds).level, "unknown");
});

test("under-voltage now raises the configured power level; since boot alone does not", () => {
  const now = healthySample({ throttling: throttlingFromBits(0x50005, "sysfs get_throttled") });
  assert.deepEqual(assessHealth(now, thresholds), { level: "warn", reasons: ["under-voltage", "throttled"] });
  const past = healthySample({ throttling: throttlingFromBits(0x50000, "sysfs get_throttled") });
  assert.equal(assessHealth(past, thresholds).level, "ok");
  assert.equal(assessHealth(now, { ...thresholds, power: "ignore" }).level, "ok");
});

test("load is judged per core", () => {
  const busy = healthySample({ load1: 9, loadPerCore: 2.25 });
  assert.deepEqual(assessHealth(busy, thresholds), { level: "warn", reasons: ["load 2.3/core ≥ 2"] });
});

test("the owner's checks add reasons beside the metrics', a failing check first among its level; unreadable health still wins", () => {
  const checks = [
    { metric: "check web", level: "crit" as const, reason: "web: HTTP 502, expected 200" },
    { metric: "check beat", level: "ok" as const, reason: null },
  ];
  const sample = healthySample({ disks: [{ mount: "/", mounted: true, usedPercent: 96, usedBytes: 1, totalBytes: 1 }] });
  assert.deepEqual(assessHealth(sample, thresholds, checks), { level: "crit", reasons: ["web: HTTP 502, expected 200", "disk / 96% ≥ 95"] });
  assert.deepEqual(assessHealth(healthySample(), thresholds, [{ metric: "check mqtt", level: "warn", reason: "mqtt: connection refused on port 1883" }]), {
    level: "warn",
    reasons: ["mqtt: connection refused on port 1883"],
  });
  assert.deepEqual(assessHealth(null, thresholds, checks), { level: "unknown", reasons: ["health unreadable"] });
});
