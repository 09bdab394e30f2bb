// The probes' pure halves: what a process list, a file's age and a unit's state mean to a person.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hidesOtherUsers, matchingProcesses, processOutcome } from "./process.js";
import { fileOutcome } from "./file.js";
import { unitOutcome } from "./systemd.js";

test("process: a name matches whole, a command line by part; the agent itself never counts", () => {
  const procs = [
    { pid: 1, name: "systemd", commandLine: "/sbin/init" },
    { pid: 50, name: "python3", commandLine: "python3 /opt/app/logger.py --fast" },
    { pid: 51, name: "mosquitto", commandLine: "/usr/sbin/mosquitto -c /etc/mosquitto/mosquitto.conf" },
    { pid: 99, name: "node", commandLine: "node dist/cli.js run logger.py" },
    { pid: 7, name: "kworker/0:1", commandLine: "" },
  ];
  assert.deepEqual(matchingProcesses(procs, "logger.py", 99).map((p) => p.pid), [50]);
  assert.deepEqual(matchingProcesses(procs, "mosquitto", 99).map((p) => p.pid), [51]);
  assert.deepEqual(matchingProcesses(procs, "kworker", 99), [], "kernel threads have no command line to match a part of");
  assert.deepEqual(processOutcome(0, 1), { state: "failed", text: "not running" });
  assert.deepEqual(processOutcome(1, 2), { state: "failed", text: "1 running, fewer than 2" });
  assert.deepEqual(processOutcome(3, 2), { state: "ok", text: "3 running" });
});

test("file: missing, fresh, stale (ages in words)", () => {
  assert.deepEqual(fileOutcome(null, 120, 1_000_000), { state: "failed", text: "missing" });
  assert.deepEqual(fileOutcome(1_000_000 - 30_000, 120, 1_000_000), { state: "ok", text: "changed 30 s ago" });
  assert.deepEqual(fileOutcome(1_000_000 - 600_000, 120, 1_000_000), { state: "failed", text: "stale: changed 10 min ago, max 2 min" });
  assert.deepEqual(fileOutcome(0, null, 90_000_000), { state: "ok", text: "changed 25 h ago" }, "no maxAgeSeconds: existing is enough");
});

test("systemd: active is ok, failed says why, stopped is a failure, an unknown unit cannot be told", () => {
  assert.deepEqual(unitOutcome("LoadState=loaded\nActiveState=active\nSubState=running\nResult=success\n"), { state: "ok", text: "active (running)" });
  assert.deepEqual(unitOutcome("LoadState=loaded\nActiveState=failed\nSubState=failed\nResult=exit-code\n"), { state: "failed", text: "failed (exit-code)" });
  assert.deepEqual(unitOutcome("LoadState=loaded\nActiveState=inactive\nSubState=dead\nResult=success\n"), { state: "failed", text: "inactive (dead)" });
  assert.deepEqual(unitOutcome("LoadState=not-found\nActiveState=inactive\nSubState=dead\nResult=success\n"), { state: "unknown", text: "no such unit" });
  assert.deepEqual(unitOutcome(""), { state: "unknown", text: "state unreadable" });
});

test("process: a /proc mounted with hidepid (ProtectProc=invisible) is noticed, so hidden is not read as stopped", () => {
  // mountinfo lines of the form the kernel writes (hidepid=invisible among the super options under systemd's
  // ProtectProc=invisible); test:systemd checks the real one inside the installed unit
  assert.equal(hidesOtherUsers("1380 1372 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw,hidepid=invisible\n"), true);
  assert.equal(hidesOtherUsers("22 28 0:5 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw\n"), false);
  assert.equal(hidesOtherUsers("60 22 0:5 / /proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw,hidepid=2\n"), false);
});
