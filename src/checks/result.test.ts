import { test } from "node:test";
import assert from "node:assert/strict";
import { checkFindings, resultOf } from "./result.js";
import { withDefaults } from "./spec.js";

const [web, mqtt] = withDefaults([
  { name: "web", type: "http", url: "http://127.0.0.1:8080/health" },
  { name: "mqtt", type: "tcp", host: "127.0.0.1", port: 1883, level: "warn" },
]) as [ReturnType<typeof withDefaults>[number], ReturnType<typeof withDefaults>[number]];

test("a failure counts at the check's level; a plugin's critical is capped by it", () => {
  assert.equal(resultOf(web, { state: "failed", text: "HTTP 502" }, 10, 3).state, "crit");
  assert.equal(resultOf(mqtt, { state: "failed", text: "refused" }, 10, 3).state, "warn");
  assert.equal(resultOf(mqtt, { state: "crit", text: "CRITICAL" }, 10, 3).state, "warn");
  assert.equal(resultOf(web, { state: "warn", text: "WARNING" }, 10, 3).state, "warn");
  assert.equal(resultOf(web, { state: "unknown", text: "timed out" }, 10, 3).state, "unknown");
});

test("findings: a plugin's long first line is cut in the reason", () => {
  const long = resultOf(web, { state: "crit", text: "DISK CRITICAL - free space: / 3326 MiB (4% inode=97%);" }, 10, 3);
  assert.equal(checkFindings([long])[0]!.reason, "web: DISK CRITICAL - free space: / 3326 MiB …");
});

test("findings: a failing check is a reason with its name first; unknown makes the device warn, not crit", () => {
  const results = [
    resultOf(web, { state: "failed", text: "HTTP 502, expected 200" }, 10, 3),
    resultOf(mqtt, { state: "ok", text: "port 1883 open" }, 10, 3),
    { ...resultOf(web, { state: "unknown", text: "cannot run x: not found" }, 10, 3), name: "plugin" },
  ];
  assert.deepEqual(checkFindings(results), [
    { metric: "check web", level: "crit", reason: "web: HTTP 502, expected 200" },
    { metric: "check mqtt", level: "ok", reason: null },
    { metric: "check plugin", level: "warn", reason: "plugin: unknown (cannot run x: not found)" },
  ]);
});
