import { test } from "node:test";
import assert from "node:assert/strict";
import { decidePresence, type Published } from "./policy.js";

const rules = { minIntervalMs: 60_000, refreshMs: 900_000 };
const at = (level: Published["level"], status: string, time: number): Published => ({ level, status, at: time });

test("the first presence of a session always goes out", () => {
  assert.deepEqual(decidePresence(null, { level: "ok", status: "CPU 1%" }, 0, rules), { send: true, why: "first" });
});

test("numbers drifting inside a level make no presence until the refresh time", () => {
  const last = at("ok", "CPU 1% RAM 20%", 0);
  assert.deepEqual(decidePresence(last, { level: "ok", status: "CPU 7% RAM 21%" }, 61_000, rules), { send: false, retryAt: 900_000 });
  assert.deepEqual(decidePresence(last, { level: "ok", status: "CPU 7% RAM 21%" }, 900_000, rules), { send: true, why: "refresh" });
});

test("a level change waits for the minimum interval, but a raise to crit does not", () => {
  const last = at("ok", "CPU 1%", 0);
  assert.deepEqual(decidePresence(last, { level: "warn", status: "CPU 90% ≥ 85 | CPU 90%" }, 10_000, rules), { send: false, retryAt: 60_000 });
  assert.deepEqual(decidePresence(last, { level: "warn", status: "x" }, 60_000, rules), { send: true, why: "level" });
  assert.deepEqual(decidePresence(last, { level: "crit", status: "CPU 99% ≥ 95" }, 1, rules), { send: true, why: "crit" });
});

test("a new reason is a material change; the same reasons with other numbers are not", () => {
  const last = at("warn", "temp 76°C ≥ 75 | CPU 3%", 0);
  const material = decidePresence(last, { level: "warn", status: "temp 76°C ≥ 75, disk / 90% ≥ 85 | CPU 3%" }, 70_000, rules);
  assert.deepEqual(material, { send: true, why: "material" });
  const drift = decidePresence(last, { level: "warn", status: "temp 77°C ≥ 75 | CPU 9%" }, 70_000, rules);
  assert.equal(drift.send, false);
});

test("refresh 0 means numbers alone never send a presence", () => {
  const d = decidePresence(at("ok", "CPU 1%", 0), { level: "ok", status: "CPU 2%" }, 10 ** 9, { ...rules, refreshMs: 0 });
  assert.deepEqual(d, { send: false, retryAt: null });
});
