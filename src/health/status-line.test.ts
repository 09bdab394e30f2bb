import { test } from "node:test";
import assert from "node:assert/strict";
import { statusLine, STATUS_LINE_MAX } from "./status-line.js";
import { healthySample } from "../../test/support/healthy-sample.js";

test("an ok status shows CPU, RAM, disk, temperature and uptime", () => {
  assert.equal(statusLine({ level: "ok", reasons: [], sample: healthySample() }), "CPU 12% RAM 40% disk 55% 48°C up 3d4h");
});

test("a warn status puts its reasons first", () => {
  const line = statusLine({ level: "warn", reasons: ["temp 78°C ≥ 75"], sample: healthySample({ temperature: { celsius: 78, source: "t" } }) });
  assert.equal(line, "temp 78°C ≥ 75 | CPU 12% RAM 40% disk 55% 78°C up 3d4h");
});

test("no temperature sensor: no temperature, and n/a for what cannot be read", () => {
  const line = statusLine({ level: "ok", reasons: [], sample: healthySample({ temperature: null, cpuPercent: null }) });
  assert.equal(line, "CPU n/a RAM 40% disk 55% up 3d4h");
});

test("a long status drops uptime, then folds reasons, and never exceeds the limit", () => {
  const reasons = ["disk /var/lib/docker/overlay 96% ≥ 95", "disk /srv/backups 97% ≥ 95", "temp 81°C ≥ 80", "RAM 97% ≥ 95"];
  const line = statusLine({ level: "crit", reasons, sample: healthySample() });
  assert.ok(line.length <= STATUS_LINE_MAX, line);
  assert.equal(line, "disk /var/lib/docker/overlay 96% ≥ 95, +3 more | CPU 12% RAM 40% disk 55% 48°C");
  const huge = statusLine({ level: "crit", reasons: ["x".repeat(300)], sample: healthySample() });
  assert.equal(huge.length, STATUS_LINE_MAX);
  assert.ok(huge.endsWith("…"));
});

test("a silenced device says so in front", () => {
  const line = statusLine({ level: "ok", reasons: [], sample: healthySample(), note: "silenced until 14:30 UTC (firmware update)" });
  assert.equal(line, "silenced until 14:30 UTC (firmware update) | CPU 12% RAM 40% disk 55% 48°C up 3d4h");
});

test("no <, > or & in any status line, even from an operator's reason; the reason leads the first 30 characters", () => {
  const reasons = ["CPU 99% ≥ 95", "disk / 96% ≥ 95"];
  const crit = statusLine({ level: "crit", reasons, sample: healthySample({ cpuPercent: 99 }) });
  assert.equal(crit.slice(0, 30), "CPU 99% ≥ 95, disk / 96% ≥ 95 ");
  const silenced = statusLine({ level: "ok", reasons: [], sample: healthySample(), note: "silenced until 14:30 UTC (R&D <test>)" });
  assert.ok(silenced.startsWith("silenced until 14:30 UTC (R+D ‹test›) | "), silenced);
  for (const line of [crit, silenced]) assert.doesNotMatch(line, /[<>&]/);
});
