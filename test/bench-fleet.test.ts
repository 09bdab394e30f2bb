// The fleet benchmark's pure parts: its options, the peaks it reports, and the synthetic health it feeds the
// agents (calm devices must read "ok", the flappers must cross the warn threshold, the spike must read crit for
// all), so its figures mean what docs/fleet.md says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { benchOption, parseBenchOptions } from "../bench/options.js";
import { peakWithin, perMinute } from "../bench/fleet-report.js";
import { FLAPPER_EVERY, fleetHealth } from "../bench/fleet-health.js";
import { assessHealth } from "../src/health/level.js";
import { loadConfig } from "../src/config/load.js";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

test("bench options: names, --write, and --name value pairs; a missing value is an error", () => {
  assert.deepEqual(parseBenchOptions(["--write", "fleet", "--devices", "1000"]), { names: ["fleet"], options: { devices: "1000" }, write: true });
  assert.throws(() => parseBenchOptions(["fleet", "--devices"]), /--devices: expected a value/);
  const env = { BENCH_OPTIONS: JSON.stringify({ devices: "250", seed: "x" }) };
  assert.equal(benchOption("devices", 1000, env), 250);
  assert.equal(benchOption("steady-seconds", 120, env), 120);
  assert.throws(() => benchOption("seed", 1, env), /--seed "x": expected a whole number from 1/);
});

test("peaks: the most arrivals within any window, and a rate per minute", () => {
  assert.equal(peakWithin([], 1000), 0);
  assert.equal(peakWithin([0, 100, 999, 1000, 1500, 5000], 1000), 3);
  assert.equal(peakWithin([0, 2000, 4000], 1000), 1);
  assert.equal(perMinute(30, 120), 15);
});

test("synthetic health: calm devices read ok, one in FLAPPER_EVERY crosses the warn threshold, the spike is crit for all", async () => {
  const { thresholds } = loadConfig({ env: {} });
  const health = fleetHealth(7);
  const devices = 3 * FLAPPER_EVERY;
  const samplers = Array.from({ length: devices }, (_, i) => health.sampler(i));
  const levels = async () => Promise.all(samplers.map(async (s) => assessHealth(await s.sample(), thresholds).level));

  const calm: string[][] = [];
  for (let round = 0; round < 20; round++) calm.push(await levels());
  for (let i = 0; i < devices; i++) {
    const seen = new Set(calm.map((round) => round[i]));
    if (i % FLAPPER_EVERY === 0) assert.deepEqual([...seen].sort(), ["ok", "warn"], `flapper ${i} read ${[...seen]}`);
    else assert.deepEqual([...seen], ["ok"], `device ${i} read ${[...seen]}`);
  }

  health.setMood("spike");
  assert.deepEqual(new Set(await levels()), new Set(["crit"]));
  assert.equal(health.taken(), 21 * devices);
});

test("npm run bench:fleet ended by SIGTERM to its process group (as `timeout` does) leaves no Prosody temp dir", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "bench-fleet-sigterm-"));
  const runner = fileURLToPath(new URL("../bench/run.js", import.meta.url));
  let bench: ReturnType<typeof spawn> | null = null;
  try {
    const child = spawn(process.execPath, [runner, "fleet", "--devices", "5"], { detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TMPDIR: tmp } });
    bench = child;
    let said = "";
    child.stderr!.on("data", (d) => (said += d));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const deadline = Date.now() + 60_000;
    while (!/first start: /.test(said) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(readdirSync(tmp).some((name) => name.startsWith("xmpp-device-agent-prosody-")), `the bench's Prosody runs in ${tmp}:\n${said}`);
    process.kill(-child.pid!, "SIGTERM");
    await exited;
    bench = null;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(readdirSync(tmp), []);
  } finally {
    // A failed check must not leave the benchmark running
    if (bench?.exitCode === null) process.kill(-bench.pid!, "SIGKILL");
    rmSync(tmp, { recursive: true, force: true });
  }
});
