import { test } from "node:test";
import assert from "node:assert/strict";
import { cpuPercent, parseOwnTicks, parseProcStat } from "./cpu.js";

test("CPU percent is the busy share between two /proc/stat snapshots", () => {
  const a = parseProcStat("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4\n")!;
  const b = parseProcStat("cpu  150 0 150 900 0 0 0 0 0 0\ncpu0 1 2 3 4\n")!;
  assert.equal(a.count, 1);
  assert.equal(cpuPercent(a, b), 50);
  assert.equal(cpuPercent(b, a), null, "counters going back (a reboot between snapshots)");
});

test("/proc/self/stat: user, system and reaped children's ticks, even with spaces and parentheses in the name", () => {
  // node 20 on Debian 12 x86_64, 10 ms after start: utime 10, stime 1
  const line = "1405 (node) R 1403 1403 13672 0 -1 4194304 2163 0 0 0 10 1 0 0 20 0 7 0 159354 745918464 9966 18446744073709551615 11988992 39846385";
  assert.equal(parseOwnTicks(line), 11);
  assert.equal(parseOwnTicks(line.replace("(node)", "(my (odd) name)").replace(" 0 0 20", " 3 4 20")), 18);
  assert.equal(parseOwnTicks(""), null);
  const before = { busy: 100, total: 1000, count: 2 };
  assert.equal(cpuPercent(before, { busy: 160, total: 1100, count: 2 }, 50), 10, "60 busy ticks, 50 our own");
  assert.equal(cpuPercent(before, { busy: 160, total: 1100, count: 2 }, 80), 0, "never below 0");
});
