import { test } from "node:test";
import assert from "node:assert/strict";
import { digestText } from "./digest.js";
import type { Note } from "./fleet.js";

const at = Date.UTC(2026, 11, 7, 14, 2);
const note = (device: string, kind: Note["kind"], level: Note["level"] = null, status = ""): Note => ({ device: `${device}@example.org`, kind, level, status, at });

test("twelve devices crit at once: one line, the count first, five named with their first reason, the rest counted", () => {
  const notes = Array.from({ length: 12 }, (_, i) => note(`pi-${i + 1}`, "level", "crit", `RAM ${90 + (i % 10)}% >= 95, CPU 3%`));
  assert.equal(
    digestText(notes, "UTC"),
    "12 devices crit: pi-1 (RAM 90% ≥ 95), pi-2 (RAM 91% ≥ 95), pi-3 (RAM 92% ≥ 95), pi-4 (RAM 93% ≥ 95), pi-5 (RAM 94% ≥ 95), ... and 7 more",
  );
});

test("one device, one plain line; the worst news first; a device's latest note stands for it", () => {
  assert.equal(digestText([note("pi-7", "offline")], "UTC"), "pi-7 offline without a clean stop (crash, power or link?) since 14:02 UTC");
  assert.equal(digestText([note("pi-7", "stopped", "ok", "stopping: SIGTERM")], "UTC"), "pi-7 stopped cleanly (stopping: SIGTERM)");
  assert.equal(
    digestText([note("pi-1", "stopped", null, "stopping: SIGTERM"), note("pi-2", "silent"), note("pi-3", "level", "crit", "temp 85°C >= 80"), note("pi-4", "level", "crit"), note("pi-4", "level", "ok")], "UTC"),
    ["pi-3 crit (temp 85°C ≥ 80)", "pi-2 silent: no answer to pings since 14:02 UTC", "pi-1 stopped cleanly (stopping: SIGTERM)", "pi-4 ok again"].join("\n"),
  );
  assert.equal(digestText([]), "");
});

test("nothing a phone would show escaped", () => {
  const text = digestText([note("pi-1", "level", "warn", "disk / 91% >= 90 & rising <fast>")], "UTC");
  assert.doesNotMatch(text, /[<>&]/);
});
