import { test } from "node:test";
import assert from "node:assert/strict";
import { parseThrottled, throttlingFromBits } from "./throttled.js";
import { pickTemperature, millidegrees } from "./temperature.js";
import { parseNetDev, netRates } from "./netdev.js";
import { parseMeminfo } from "./meminfo.js";
import { cpuPercent, parseOwnTicks, parseProcStat } from "./cpu.js";

test("get_throttled reads as vcgencmd prints it and as the sysfs file holds it", () => {
  assert.equal(parseThrottled("throttled=0x50005\n"), 0x50005);
  assert.equal(parseThrottled("50000\n"), 0x50000, "sysfs: hex without 0x");
  assert.equal(parseThrottled("garbage"), null);
  const t = throttlingFromBits(0x50005, "x");
  assert.equal(t.underVoltageNow?.value, true);
  assert.equal(t.throttledNow?.value, true);
  assert.equal(t.freqCappedNow?.value, false);
  assert.equal(t.underVoltageSinceBoot?.value, true);
  assert.equal(t.freqCappedSinceBoot?.value, false);
});

test("sysfs get_throttled '80008' (hex) is soft temperature limit now and since boot", () => {
  const t = throttlingFromBits(parseThrottled("80008")!, "x");
  assert.equal(t.softTempLimitNow?.value, true);
  assert.equal(t.softTempLimitSinceBoot?.value, true);
  assert.equal(t.underVoltageNow?.value, false);
});

test("temperatures are millidegrees; broken sensors and unreadable zones are skipped", () => {
  assert.equal(millidegrees("44400\n"), 44.4);
  assert.equal(millidegrees(""), null);
  assert.equal(millidegrees("-273000"), null);
  const t = pickTemperature([
    { source: "hwmon2 iwlwifi_1", kind: "iwlwifi_1", raw: "90000" },
    { source: "hwmon1 coretemp Package id 0", kind: "coretemp", raw: "52000" },
    { source: "thermal_zone9 (broken)", kind: "broken", raw: "" },
  ]);
  assert.deepEqual(t, { celsius: 52, source: "hwmon1 coretemp Package id 0" });
});

test("net/dev: lo excluded, rates from two snapshots, a reset counter is null rather than negative", () => {
  const header = "Inter-|   Receive\n face |bytes\n";
  const a = parseNetDev(`${header}    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n  eth0: 1000 5 0 0 0 0 0 0 2000 6 0 0 0 0 0 0\n`);
  const b = parseNetDev(`${header}  eth0:3000 9 0 0 0 0 0 0 1000 7 0 0 0 0 0 0\n  wlan0: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0\n`);
  assert.deepEqual([...a.keys()], ["eth0"]);
  assert.deepEqual(netRates(a, b, 2), [
    { iface: "eth0", rxBytesPerSec: 1000, txBytesPerSec: null },
    { iface: "wlan0", rxBytesPerSec: null, txBytesPerSec: null },
  ]);
});

test("meminfo without MemAvailable (old kernels) falls back to free + buffers + cached", () => {
  const m = parseMeminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 100 kB\nCached: 300 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
  assert.equal(m?.usedPercent, 50);
  assert.equal(m?.swapPercent, 0);
});

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
