import { test } from "node:test";
import assert from "node:assert/strict";
import { replyTo, type ReplyContext } from "./replies.js";
import { healthySample } from "../../test/support/healthy-sample.js";
import { throttlingFromBits } from "../sampling/parse/throttled.js";
import { meaningful } from "../facts.js";

const ctx = (overrides: Partial<ReplyContext> = {}): ReplyContext => ({
  health: { state: { level: "ok", reasons: [], started: true, streak: null }, sample: healthySample() },
  facts: { os: "Debian GNU/Linux 12", kernel: "6.1.0-rpi7", arch: "arm64", model: "Raspberry Pi 4 Model B Rev 1.4", serial: null },
  version: "1.2.3",
  silence: null,
  now: Date.UTC(2026, 10, 25, 12, 0),
  ...overrides,
});

test("cpu answers the CPU percentage and the load per core", () => {
  assert.equal(replyTo({ name: "cpu" }, ctx()), "CPU 12% of 4 cores, load 0.40 0.30 0.20 (0.10/core)");
});

test("status answers the level, reasons and every metric", () => {
  const warn = ctx({ health: { state: { level: "warn", reasons: ["temp 78°C ≥ 75"], started: true, streak: null }, sample: healthySample() } });
  const text = replyTo({ name: "status" }, warn);
  assert.match(text, /^warn: temp 78°C ≥ 75\n/);
  for (const part of [/CPU 12%/, /RAM 40%/, /disk \/ 55%/, /48\.3°C/, /up 3d4h/]) assert.match(text, part);
});

test("load averages are printed evenly, two decimals each", () => {
  assert.match(replyTo({ name: "cpu" }, ctx({ health: { state: ctx().health.state, sample: healthySample({ load1: 2, load5: 2.16, load15: 1.35 }) } })), /load 2\.00 2\.16 1\.35 /);
});

test("status says when reasons held by hysteresis were measured, beside the numbers of now", () => {
  const at = Date.UTC(2026, 10, 25, 12, 10);
  const held = { level: "warn" as const, reasons: ["CPU 85% ≥ 85"], started: true, streak: { direction: "clear" as const, toward: "ok" as const, count: 1 }, measuredAt: at };
  const text = replyTo({ name: "status" }, ctx({ health: { state: held, sample: healthySample({ cpuPercent: 63, takenAt: at + 10_000 }) }, now: at + 12_000 }));
  assert.equal(text.split("\n")[0], "warn since 12:10 UTC (CPU 85% ≥ 85); now CPU 63% RAM 40% disk 55% 48°C");
  const fresh = replyTo({ name: "status" }, ctx({ health: { state: { ...held, measuredAt: at + 10_000 }, sample: healthySample({ cpuPercent: 88, takenAt: at + 10_000 }) } }));
  assert.equal(fresh.split("\n")[0], "warn: CPU 85% ≥ 85");
});

test("temp says when there is no sensor, and shows Pi power flags where they exist", () => {
  assert.equal(replyTo({ name: "temp" }, ctx({ health: { state: ctx().health.state, sample: healthySample({ temperature: null }) } })), "no temperature sensor on this device");
  const pi = healthySample({ throttling: throttlingFromBits(0x50000, "sysfs get_throttled") });
  assert.match(replyTo({ name: "temp" }, ctx({ health: { state: ctx().health.state, sample: pi } })), /under-voltage now no, since boot YES/);
});

test("version names the agent, the OS and the board", () => {
  assert.equal(replyTo({ name: "version" }, ctx()), "xmpp-device-agent 1.2.3 on Debian GNU/Linux 12 (Linux 6.1.0-rpi7, arm64), Raspberry Pi 4 Model B Rev 1.4");
});

test("version names no board where there is none: DMI's placeholders are not models", () => {
  assert.equal(meaningful("Raspberry Pi 4 Model B Rev 1.4\0"), "Raspberry Pi 4 Model B Rev 1.4");
  for (const placeholder of ["To Be Filled By O.E.M.", "Default string", "System Product Name", " ", "-", undefined]) assert.equal(meaningful(placeholder), null);
  assert.equal(replyTo({ name: "version" }, ctx({ facts: { ...ctx().facts!, model: meaningful("Default string") } })), "xmpp-device-agent 1.2.3 on Debian GNU/Linux 12 (Linux 6.1.0-rpi7, arm64)");
});

test("an unknown word gets a pointer to help; before the first sample, metrics say so", () => {
  assert.equal(replyTo({ name: "unknown", word: "reboot" }, ctx()), 'unknown command "reboot": send help for the list');
  assert.match(replyTo({ name: "mem" }, ctx({ health: { state: ctx().health.state, sample: null } })), /no health sample yet/);
});
