import { test } from "node:test";
import assert from "node:assert/strict";
import { checkProblems, withDefaults } from "./spec.js";

const ISSUE_EXAMPLE = [
  { name: "app", type: "systemd", unit: "kiosk.service" },
  { name: "logger", type: "process", match: "logger.py", min: 1 },
  { name: "mqtt", type: "tcp", host: "127.0.0.1", port: 1883, level: "warn" },
  { name: "web", type: "http", url: "http://127.0.0.1:8080/health", expect: 200, timeout: 5 },
  { name: "beat", type: "file", path: "/run/app/heartbeat", maxAgeSeconds: 120 },
  { name: "root", type: "command", argv: ["/usr/lib/nagios/plugins/check_disk", "-w", "20%", "-c", "10%", "-p", "/"], every: 300 },
];

test("the documented example is a valid list, with defaults filled in", () => {
  assert.deepEqual(checkProblems(ISSUE_EXAMPLE), []);
  const specs = withDefaults(ISSUE_EXAMPLE);
  assert.deepEqual(specs[0], { name: "app", every: 60, timeout: 10, level: "crit", type: "systemd", unit: "kiosk.service" });
  assert.equal(specs[2]!.level, "warn");
  assert.equal(specs[3]!.timeout, 5);
  assert.equal(specs[5]!.every, 300);
  assert.deepEqual(withDefaults([{ name: "w", type: "http", url: "http://x/" }])[0], { name: "w", every: 60, timeout: 10, level: "crit", type: "http", url: "http://x/", expect: 200 });
  assert.equal((withDefaults([{ name: "f", type: "file", path: "/x" }])[0] as { maxAgeSeconds: number | null }).maxAgeSeconds, null);
});

test("every problem is reported, each naming its key as checks[i].key", () => {
  const problems = checkProblems([
    { name: "ok", type: "tcp", host: "127.0.0.1", port: 1883 },
    { name: "web", type: "http", url: "ftp://x", every: 1 },
    { name: "web", type: "tcp", host: "h", port: 70000 },
    { type: "bogus" },
    "not an object",
    { name: "cmd", type: "command", argv: ["check_disk", "-w"], shell: true },
  ]);
  assert.deepEqual(problems, [
    "checks[1].every: must be seconds from 5 to 86400: value was 1",
    'checks[1].url: must be an http:// or https:// URL like http://127.0.0.1:8080/health: value was "ftp://x"',
    'checks[2].name: must be unique among the checks: value was "web"',
    "checks[2].port: must be a port from 1 to 65535: value was 70000",
    "checks[3].name: must be 1 to 32 letters, digits, '.', '_' or '-': value was undefined",
    'checks[3].type: must be one of systemd, process, tcp, http, file, command: value was "bogus"',
    "checks[4]: must be an object with name, type and the type's keys",
    "checks[5].shell: is not a setting of a command check (it takes name, type, every, timeout, level, argv)",
    'checks[5].argv: must be a list of strings starting with an absolute program path, e.g. ["/usr/lib/nagios/plugins/check_disk", "-w", "20%"] (no shell): value was ["check_disk","-w"]',
  ]);
});

test("type-specific keys are checked: unit names, levels, expected status, file paths", () => {
  assert.deepEqual(checkProblems([{ name: "a", type: "systemd", unit: "kiosk" }]), ['checks[0].unit: must be a unit name like kiosk.service: value was "kiosk"']);
  assert.deepEqual(checkProblems([{ name: "a", type: "process", match: "x", level: "fatal" }]), ['checks[0].level: must be "warn" or "crit": value was "fatal"']);
  assert.deepEqual(checkProblems([{ name: "a", type: "http", url: "http://x/", expect: 999 }]), ["checks[0].expect: must be an HTTP status from 100 to 599: value was 999"]);
  assert.deepEqual(checkProblems([{ name: "a", type: "file", path: "relative/beat" }]), ['checks[0].path: must be an absolute path like /run/app/heartbeat: value was "relative/beat"']);
  assert.deepEqual(checkProblems({ name: "a" }), ['checks: must be a list of checks like [{"name": "app", "type": "systemd", "unit": "kiosk.service"}]']);
});
