import { test } from "node:test";
import assert from "node:assert/strict";
import { cpuPercent, parseProcStat } from "./cpu.js";

test("CPU percent is the busy share between two /proc/stat snapshots", () => {
  const a = parseProcStat("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4\n")!;
  const b = parseProcStat("cpu  150 0 150 900 0 0 0 0 0 0\ncpu0 1 2 3 4\n")!;
  assert.equal(a.count, 1);
  assert.equal(cpuPercent(a, b), 50);
  assert.equal(cpuPercent(b, a), null, "counters going back (a reboot between snapshots)");
});
