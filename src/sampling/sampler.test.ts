// The sampler against /proc and /sys trees captured from real machines (test/fixtures/README.md says which).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { systemFiles, type SystemFiles } from "./read.js";
import { createSampler } from "./sampler.js";
import type { StatfsNumbers } from "./parse/statfs.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));

/** A fixture tree as the sampler sees it; `advance()` switches to the second snapshot (stat.next, dev.next). */
function fixtureFiles(name: string): SystemFiles & { advance(): void } {
  const files = systemFiles(fixture(name));
  let statfs: Record<string, StatfsNumbers> = {};
  try {
    statfs = JSON.parse(readFileSync(`${fixture(name)}/statfs.json`, "utf8"));
  } catch {
    // no statfs.json: the tree has no disks
  }
  let next = false;
  return {
    ...files,
    read: (path) => (next && files.read(`${path}.next`)) || files.read(path),
    statfs: async (mount) => statfs[mount] ?? null,
    advance: () => (next = true),
  };
}

test("x86 VM without sensors: real numbers where it has them, null for temperature and Pi power", async () => {
  const files = fixtureFiles("x86-vm-no-sensors");
  const times = [1000, 2008];
  const sampler = createSampler({ files, disks: ["/", "/missing"], now: () => times.shift() ?? 2008 });
  files.advance();
  const s = await sampler.sample();
  assert.equal(s.cpuCount, 2);
  assert.ok(s.cpuPercent !== null && s.cpuPercent >= 0 && s.cpuPercent <= 100, `cpu ${s.cpuPercent}`);
  assert.equal(s.temperature, null);
  assert.equal(s.throttling.underVoltageNow, null);
  assert.equal(s.throttling.throttledSinceBoot, null);
  // df rounds Use% up to a whole percent; we keep one decimal, rounded up the same way
  assert.equal(Math.ceil(s.disks[0]!.usedPercent!), 22, "the Use% df printed for / (_capture/df.txt)");
  assert.deepEqual(s.disks[1], { mount: "/missing", mounted: false, usedPercent: null, usedBytes: null, totalBytes: null });
  assert.ok(s.memoryPercent !== null && s.memoryPercent > 0 && s.memoryPercent < 100);
  assert.ok(s.uptimeSeconds !== null && s.uptimeSeconds > 0);
  assert.ok(s.network.every((n) => n.iface !== "lo"), "lo is not the device's network");
  assert.ok(s.network.length > 0 && s.network.every((n) => n.rxBytesPerSec !== null && n.rxBytesPerSec >= 0));
  assert.deepEqual(s.network.map((n) => n.iface), ["eth0"], "ifb0 and ifb1: virtual, never a byte");
});

test("Raspberry Pi: CPU temperature from the cpu-thermal zone, under-voltage now from hwmon, since boot from get_throttled", async () => {
  const times = [1000, 2000];
  const sampler = createSampler({ files: fixtureFiles("raspberry-pi"), disks: ["/"], now: () => times.shift() ?? 2000 });
  const s = await sampler.sample();
  assert.deepEqual(s.temperature, { celsius: 44.4, source: "thermal_zone0 (cpu-thermal)" });
  assert.deepEqual(s.throttling.underVoltageNow, { value: false, source: "hwmon rpi_volt in0_lcrit_alarm" });
  assert.deepEqual(s.throttling.underVoltageSinceBoot, { value: true, source: "sysfs get_throttled" });
  assert.deepEqual(s.throttling.throttledSinceBoot, { value: true, source: "sysfs get_throttled" });
  assert.equal(s.throttling.throttledNow?.value, false);
  assert.equal(s.load1, 4.01);
  // No proc/stat in this capture: CPU and per-core load are unknown, not 0
  assert.equal(s.cpuPercent, null);
  assert.equal(s.loadPerCore, null);
  assert.equal(Math.ceil(s.disks[0]!.usedPercent!), 79, "the Use% df printed for / (_capture/)");
  assert.ok(s.memoryTotalBytes! > 3 * 1024 ** 3, "a 4 GB Pi 4");
  // One capture read twice, a second apart: the same counters, so no traffic (the clock is the test's: on a busy
  // machine the two reads may fall in different milliseconds, or the same one)
  assert.ok(s.network.some((n) => n.iface === "eth0" && n.rxBytesPerSec === 0), "one capture: 0 B/s");
  assert.deepEqual(s.network.map((n) => n.iface), ["eth0", "wlan0", "eth1"], "wlan0 is idle but not virtual");
});

test("x86 with hwmon sensors only: the CPU package temperature, not the hottest unrelated chip", async () => {
  const s = await createSampler({ files: fixtureFiles("x86-with-sensors"), disks: [] }).sample();
  assert.match(s.temperature?.source ?? "", /coretemp/);
});

test("an empty root (nothing readable) gives nulls everywhere and no crash", async () => {
  const s = await createSampler({ files: fixtureFiles("does-not-exist"), disks: ["/"] }).sample();
  assert.equal(s.cpuPercent, null);
  assert.equal(s.memoryPercent, null);
  assert.equal(s.load1, null);
  assert.equal(s.temperature, null);
  assert.deepEqual(s.network, []);
  assert.equal(s.uptimeSeconds, null);
});

test("many mounts: a watched disk that /proc/mounts does not list is 'not mounted', never the numbers of /", async () => {
  const files = { ...fixtureFiles("many-mounts"), statfs: async () => ({ bsize: 4096, blocks: 100, bfree: 50, bavail: 50 }) };
  const s = await createSampler({ files, disks: ["/", "/boot", "/media/usb", "/run/user/1000/gvfs"] }).sample();
  assert.deepEqual(
    s.disks.map((d) => [d.mount, d.mounted, d.usedPercent]),
    [["/", true, 50], ["/boot", true, 50], ["/media/usb", false, null], ["/run/user/1000/gvfs", true, 50]],
  );
  const { assessHealth } = await import("../health/level.js");
  const { loadConfig } = await import("../config/load.js");
  const withMemory = { ...s, memoryPercent: 10, load1: 0.1 };
  assert.deepEqual(assessHealth(withMemory, loadConfig({ env: {} }).thresholds), { level: "warn", reasons: ["disk /media/usb not mounted"] });
});

test("mount points with escaped spaces are matched as the user wrote them", async () => {
  const { parseMountPoints } = await import("./parse/mounts.js");
  assert.ok(parseMountPoints("/dev/sda1 /media/My\\040Disk ext4 rw 0 0\n").has("/media/My Disk"));
});

test("the first CPU reading leaves out the agent's own start-up; later ones count everything", async () => {
  const stat = (busy: number, idle: number) => `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${busy} 0 0 ${idle} 0 0 0 0 0 0\n`;
  const self = (ticks: number) => `1405 (node) R 1403 1403 13672 0 -1 4194304 2163 0 0 0 ${ticks} 0 0 0 20 0 7 0`;
  // Start-up: 60 of 100 ticks busy, 50 of them ours; then 30 of 100 busy, 20 ours
  const readings = [{ stat: stat(100, 900), self: self(0) }, { stat: stat(160, 940), self: self(50) }, { stat: stat(190, 1010), self: self(70) }];
  let at = 0;
  const files: SystemFiles = {
    root: "/",
    read: (path) => (path === "proc/stat" ? readings[at]!.stat : path === "proc/self/stat" ? readings[at]!.self : null),
    list: () => [],
    statfs: async () => null,
  };
  const sampler = createSampler({ files, disks: [] });
  at = 1;
  assert.equal((await sampler.sample()).cpuPercent, 10);
  at = 2;
  assert.equal((await sampler.sample()).cpuPercent, 30);
});
