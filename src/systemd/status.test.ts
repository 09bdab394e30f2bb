import { test } from "node:test";
import assert from "node:assert/strict";
import { unitStatus } from "./status.js";
import { healthySample } from "../../test/support/healthy-sample.js";

test("systemctl status shows the level and the roster's status line", () => {
  const line = unitStatus({ state: { level: "ok", reasons: [], started: true, streak: null }, sample: healthySample() });
  assert.equal(line, "ok: CPU 12% RAM 40% disk 55% 48°C up 3d4h");
});
