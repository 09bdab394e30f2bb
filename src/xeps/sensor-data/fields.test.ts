import { test } from "node:test";
import assert from "node:assert/strict";
import { healthySample } from "../../../test/support/healthy-sample.js";
import { throttlingFromBits } from "../../sampling/parse/throttled.js";
import { checkFields, healthFields, type SensorField } from "./fields.js";

const byName = (fields: SensorField[]) => Object.fromEntries(fields.map((f) => [f.name, f]));

test("a healthy Pi's sample reads as numeric fields with units, momentary, precision kept", () => {
  const fields = byName(healthFields(healthySample({ cpuPercent: 12, memoryTotalBytes: 1024 ** 3, memoryAvailableBytes: 644245094.4 })));
  assert.deepEqual(fields["CPU"], { name: "CPU", kind: "numeric", value: "12.0", unit: "%", types: ["momentary"] });
  assert.deepEqual(fields["Temperature"], { name: "Temperature", kind: "numeric", value: "48.3", unit: "°C", types: ["momentary"] });
  assert.equal(fields["Load, 1 min"]?.value, "0.40");
  assert.equal(fields["Load, 1 min"]?.unit, "", "load has no unit, which the schema writes as unit=''");
  assert.equal(fields["Load per core"]?.value, "0.10");
  assert.equal(fields["Memory, Total"]?.value, "1073741824");
  assert.equal(fields["Memory, Available"]?.value, "644245094", "bytes are whole");
  assert.equal(fields["Disk /"]?.value, "55.0");
  assert.deepEqual(fields["Uptime"], { name: "Uptime", kind: "numeric", value: "273605", unit: "s", types: ["momentary", "status"] });
});

test("each disk and each network interface gets its own fields", () => {
  const fields = byName(
    healthFields(
      healthySample({
        disks: [
          { mount: "/", mounted: true, usedPercent: 40, usedBytes: 4e9, totalBytes: 1e10 },
          { mount: "/boot", mounted: true, usedPercent: 21.5, usedBytes: null, totalBytes: null },
        ],
        network: [{ iface: "eth0", rxBytesPerSec: 1234.6, txBytesPerSec: 99 }],
      }),
    ),
  );
  assert.equal(fields["Disk /, Used"]?.value, "4000000000");
  assert.equal(fields["Disk /boot"]?.value, "21.5");
  assert.equal(fields["Disk /boot, Used"], undefined);
  assert.deepEqual(fields["Network eth0, Received"], { name: "Network eth0, Received", kind: "numeric", value: "1235", unit: "B/s", types: ["momentary"] });
  assert.equal(fields["Network eth0, Sent"]?.value, "99");
});

test("what the machine cannot say is left out, never reported as 0", () => {
  const names = healthFields(
    healthySample({ cpuPercent: null, temperature: null, swapPercent: null, loadPerCore: Number.NaN, disks: [{ mount: "/", mounted: true, usedPercent: null, usedBytes: null, totalBytes: null }] }),
  ).map((f) => f.name);
  for (const gone of ["CPU", "Temperature", "Swap", "Load per core", "Disk /"]) assert.ok(!names.includes(gone), `${gone} should be absent`);
  assert.ok(names.includes("Memory"));
  assert.ok(!names.some((n) => n.startsWith("Under-voltage")), "no power flags on a machine without get_throttled");
});

test("a Pi that was under-voltage since boot but is fine now says so in boolean fields", () => {
  const fields = byName(healthFields(healthySample({ throttling: throttlingFromBits(0x50000, "sysfs get_throttled") })));
  assert.deepEqual(fields["Under-voltage"], { name: "Under-voltage", kind: "boolean", value: "false", types: ["momentary", "status"] });
  assert.equal(fields["Under-voltage since boot"]?.value, "true");
  assert.equal(fields["Throttled since boot"]?.value, "true");
  assert.equal(fields["Throttled"]?.value, "false");
  assert.equal(fields["Frequency capped since boot"]?.value, "false");
});

test("each owner's check is a status flag, and its plugin's perf data are numeric fields with the plugin's unit", () => {
  const perf = [
    { label: "/", value: 24165482496, unit: "B", warn: null, crit: null, min: 0, max: 270552530944 },
    { label: "time", value: 0.012, unit: "s", warn: null, crit: null, min: null, max: null },
  ];
  assert.deepEqual(
    checkFields([
      { name: "root", state: "ok", text: "DISK OK", at: 0, durationMs: 1, perf },
      { name: "web", state: "crit", text: "HTTP 502", at: 0, durationMs: 1, perf: [] },
    ]),
    [
      { name: "Check root, OK", kind: "boolean", value: "true", types: ["momentary", "status"] },
      { name: "Check root, /", kind: "numeric", value: "24165482496", unit: "B", types: ["momentary"] },
      { name: "Check root, time", kind: "numeric", value: "0.012", unit: "s", types: ["momentary"] },
      { name: "Check web, OK", kind: "boolean", value: "false", types: ["momentary", "status"] },
    ],
  );
});
