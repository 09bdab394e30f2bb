import { test } from "node:test";
import assert from "node:assert/strict";
import { parseThrottled, throttlingFromBits } from "./throttled.js";

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
