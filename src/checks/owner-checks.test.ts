import { test } from "node:test";
import assert from "node:assert/strict";
import pino from "pino";
import { ownerChecks } from "./owner-checks.js";
import { withDefaults } from "./spec.js";
import type { ProbeOutcome } from "./result.js";

const log = pino({ level: "silent" });
const specs = withDefaults([
  { name: "web", type: "http", url: "http://127.0.0.1:1/" },
  { name: "beat", type: "file", path: "/nonexistent", level: "warn" },
]);

test("runAll runs each check once, results in config order; changes are reported once", async () => {
  const outcomes: Record<string, ProbeOutcome[]> = {
    web: [{ state: "failed", text: "HTTP 502" }, { state: "failed", text: "HTTP 502" }, { state: "ok", text: "HTTP 200" }],
    beat: [{ state: "ok", text: "changed 3 s ago" }, { state: "ok", text: "changed 4 s ago" }, { state: "ok", text: "changed 5 s ago" }],
  };
  const changes: string[] = [];
  const checks = ownerChecks({ specs, version: "t", log, probe: async (spec) => outcomes[spec.name]!.shift()!, onChange: (r) => changes.push(`${r.name} ${r.state}`) });
  assert.deepEqual(checks.results(), [], "nothing before the first run");
  await checks.runAll();
  assert.deepEqual(checks.results().map((r) => `${r.name} ${r.state} ${r.text}`), ["web crit HTTP 502", "beat ok changed 3 s ago"]);
  await checks.runAll();
  await checks.runAll();
  assert.deepEqual(checks.results().map((r) => `${r.name} ${r.state}`), ["web ok", "beat ok"]);
  assert.deepEqual(changes, ["web crit", "beat ok", "web ok"]);
});

test("a probe that throws is unknown with the reason, never a crash; a slow one is not run twice at once", async () => {
  let calls = 0;
  let release: () => void = () => undefined;
  const checks = ownerChecks({
    specs,
    version: "t",
    log,
    probe: async (spec) => {
      calls++;
      if (spec.name === "web") throw new Error("boom");
      await new Promise<void>((resolve) => (release = resolve));
      return { state: "ok", text: "fine" };
    },
  });
  const first = checks.runAll();
  const second = checks.runAll();
  await new Promise((resolve) => setImmediate(resolve));
  release();
  await Promise.all([first, second]);
  assert.equal(calls, 2, "one run each: the second runAll joined the runs still under way");
  assert.deepEqual(checks.results().map((r) => `${r.name} ${r.state} ${r.text}`), ["web unknown check failed to run: boom", "beat ok fine"]);
});
