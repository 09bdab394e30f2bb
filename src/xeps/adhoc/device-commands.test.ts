import { test } from "node:test";
import assert from "node:assert/strict";
import type { Element } from "@xmpp/client";
import { healthySample } from "../../../test/support/healthy-sample.js";
import { throttlingFromBits } from "../../sampling/parse/throttled.js";
import { clockTime, maintenanceMode } from "../../maintenance/maintenance-mode.js";
import { loadConfig } from "../../config/load.js";
import type { HealthSnapshot } from "../../health/monitor.js";
import type { AdhocCommand, Completed, Stage } from "./command.js";
import { deviceCommands } from "./device-commands.js";

const NOW = Date.UTC(2026, 10, 25, 12, 0);
const warn: HealthSnapshot = {
  state: { level: "warn", reasons: ["temp 78°C ≥ 70"], started: true, streak: null },
  sample: healthySample({
    takenAt: NOW,
    temperature: { celsius: 78, source: "thermal_zone0 (cpu-thermal)" },
    network: [{ iface: "eth0", rxBytesPerSec: 2048, txBytesPerSec: 100 }],
    throttling: throttlingFromBits(0x50000, "sysfs get_throttled"),
  }),
};

function setup(health: HealthSnapshot = warn) {
  const maintenance = maintenanceMode({ onChange: () => undefined, now: () => NOW });
  const refreshed: number[] = [];
  const config = loadConfig({ env: {} });
  const commands = deviceCommands({
    health: () => health,
    sampleAndRefresh: async () => (refreshed.push(1), health),
    presenceStatus: () => "temp 78°C ≥ 70 | CPU 12% RAM 40% disk 55% 78°C up 3d4h",
    maintenance,
    checks: () => [{ name: "web", state: "crit" as const, text: "HTTP 502, expected 200", at: NOW - 12_000, durationMs: 3, perf: [] }],
    thresholds: config.thresholds,
    presence: config.presence,
    now: () => NOW,
  });
  const byNode = (node: string) => commands.find((c) => c.node === node)!;
  return { commands, byNode, maintenance, refreshed };
}
const fields = (x: Element | undefined) => Object.fromEntries((x?.getChildren("field") ?? []).map((f) => [f.attrs.var, f.getChildren("value").map((v) => v.text()).join("\n")]));
const done = (s: Stage | { refused: string }) => {
  assert.ok("status" in s && s.status === "completed", `not completed: ${"status" in s ? s.status : s.refused}`);
  return s as Completed;
};
const run = async (c: AdhocCommand) => c.start("op@example.org/phone");

test("the menu has status, sample-now, silence, unsilence and thresholds", () => {
  assert.deepEqual(setup().commands.map((c) => c.node), ["status", "sample-now", "silence", "unsilence", "thresholds"]);
});

test("status answers one result form with every metric, the Pi power flags, the silence and the owner's checks", async () => {
  const { byNode, maintenance } = setup();
  maintenance.silence(30, "firmware update", "warn");
  const x = done(await run(byNode("status"))).payload![0]!;
  assert.equal(x.attrs.type, "result");
  assert.deepEqual(fields(x), {
    level: "warn",
    reasons: "temp 78°C ≥ 70",
    silenced: "silenced until 12:30 UTC, 30 min left (firmware update)",
    cpu: "12.0% of 4 cores",
    load: "0.40 0.30 0.20",
    "load-per-core": "0.10",
    memory: "40.0% of 1.0 GiB",
    swap: "0.0% of 100.0 MiB",
    temperature: "78°C (thermal_zone0 (cpu-thermal))",
    "disk:/": "55.0% of 2 B",
    "net:eth0": "rx 2.0 KiB/s tx 100 B/s",
    uptime: "3d4h",
    "under-voltage-now": "no (sysfs get_throttled)",
    "under-voltage-since-boot": "yes (sysfs get_throttled)",
    "throttled-now": "no (sysfs get_throttled)",
    "throttled-since-boot": "yes (sysfs get_throttled)",
    "sampled-at": "2026-11-25T12:00:00.000Z",
    "check:web": "crit: HTTP 502, expected 200 (12 s ago)",
  });
  maintenance.stop();
});

test("status on a VM without a thermal zone or Pi flags says n/a; before any sample it says so", async () => {
  const vm = setup({ state: { level: "ok", reasons: [], started: true, streak: null }, sample: healthySample({ temperature: null }) });
  const f = fields(done(await run(vm.byNode("status"))).payload![0]);
  assert.deepEqual([f.temperature, f["under-voltage-now"], f.reasons], ["n/a", "n/a", "none"]);
  const none = setup({ state: { level: "unknown", reasons: ["no sample yet"], started: false, streak: null }, sample: null });
  const x = done(await run(none.byNode("status"))).payload![0]!;
  assert.deepEqual(fields(x), { level: "unknown", reasons: "no sample yet" });
  assert.match(x.getChildText("instructions") ?? "", /No health sample yet/);
});

test("sample-now samples once, refreshes the presence and answers the new level and status line", async () => {
  const { byNode, refreshed } = setup();
  const result = done(await run(byNode("sample-now")));
  assert.equal(refreshed.length, 1);
  assert.equal(result.notes?.[0]?.text, "sampled; presence sent again");
  assert.deepEqual(fields(result.payload![0]), { level: "warn", reasons: "temp 78°C ≥ 70", status: "temp 78°C ≥ 70 | CPU 12% RAM 40% disk 55% 78°C up 3d4h" });
});

test("thresholds answers the limits in force", async () => {
  const f = fields(done(await run(setup().byNode("thresholds"))).payload![0]);
  assert.deepEqual(f, {
    "cpu-warn": "85", "cpu-crit": "95", "memory-warn": "85", "memory-crit": "95", "disk-warn": "85", "disk-crit": "95",
    "temperature-warn": "70", "temperature-crit": "80", "load-warn": "2", "load-crit": "4",
    power: "warn", "raise-after": "3", "clear-after": "3", "min-interval-seconds": "60",
  });
});

