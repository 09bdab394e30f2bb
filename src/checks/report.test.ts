import { test } from "node:test";
import assert from "node:assert/strict";
import { checksReply } from "./report.js";
import { withDefaults } from "./spec.js";
import type { CheckResult } from "./result.js";

const specs = withDefaults([
  { name: "app", type: "systemd", unit: "kiosk.service" },
  { name: "web", type: "http", url: "http://127.0.0.1:8080/health" },
  { name: "beat", type: "file", path: "/run/app/heartbeat", maxAgeSeconds: 120, every: 30 },
]);
const result = (name: string, state: CheckResult["state"], text: string, at: number): CheckResult => ({ name, state, text, at, durationMs: 2, perf: [] });

test("chat `checks`: counts first, then each check worst first with its text and age", () => {
  const now = 1_000_000;
  assert.equal(
    checksReply(specs, [result("app", "ok", "active (running)", now - 40_000), result("web", "crit", "HTTP 502, expected 200", now - 12_000)], now),
    ["checks: 1 crit, 1 ok", "web CRIT: HTTP 502, expected 200 (12 s ago)", "app ok: active (running) (40 s ago)", "beat: not run yet (file, every 30 s)"].join("\n"),
  );
});

test("chat `checks` with none configured says where they come from", () => {
  assert.equal(checksReply([], [], 0), "no checks configured (the config's checks list is empty)");
});
