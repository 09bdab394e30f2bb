import { test } from "node:test";
import assert from "node:assert/strict";
import { millidegrees, pickTemperature } from "./temperature.js";

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
