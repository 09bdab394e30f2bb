// The systemd unit as systemd itself judges it (systemd-analyze, offline: no running systemd is needed, so CI
// runs this), and the built agent speaking sd_notify to a real datagram socket as systemd would see it.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireCommand } from "./support/host-tools.js";
import { notifySocket } from "./support/notify-socket.js";
import { finished, runCli } from "./support/cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const UNIT = join(ROOT, "systemd/xmpp-device-agent.service");
const unitText = readFileSync(UNIT, "utf8");
const setting = (key: string) => [...unitText.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1]!);

before(() => requireCommand("systemd-analyze", "systemd"));

test("systemd-analyze security rates the unit's exposure at 1.2 or below", () => {
  // --threshold is on the 0-100 scale the analyzer prints divided by 10
  const run = spawnSync("systemd-analyze", ["security", "--offline=true", "--threshold=12", "--no-pager", UNIT], { encoding: "utf8" });
  const overall = /Overall exposure level for xmpp-device-agent\.service: (\d+\.\d)/.exec(run.stdout);
  assert.ok(overall, `no overall exposure in:\n${run.stdout}${run.stderr}`);
  assert.ok(Number(overall[1]) <= 1.2, `exposure ${overall[1]} > 1.2:\n${run.stdout}`);
  assert.equal(run.status, 0, run.stderr);
});

test("systemd-analyze verify finds nothing to say about the unit", () => {
  // verify checks that ExecStart's program exists; where node lives elsewhere (nvm, CI), point it at this node
  let unit = UNIT;
  if (!existsSync("/usr/bin/node")) {
    unit = join(mkdtempSync(join(tmpdir(), "unit-")), "xmpp-device-agent.service");
    writeFileSync(unit, unitText.replace("ExecStart=/usr/bin/node ", `ExecStart=${process.execPath} `));
  }
  const run = spawnSync("systemd-analyze", ["verify", "--man=no", unit], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  // verify exits 0 after some warnings ("Failed to parse sec value, ignoring"): clean means silent
  assert.equal(`${run.stdout}${run.stderr}`.trim(), "");
});

test("the unit runs the installed agent as its own user, restarts on failure but not on 77 or 78", () => {
  assert.deepEqual(setting("ExecStart"), ["/usr/bin/node --jitless --no-expose-wasm /usr/lib/xmpp-device-agent/dist/cli.js run"]);
  assert.deepEqual(setting("Type"), ["notify"]);
  assert.deepEqual(setting("User"), ["xmpp-device-agent"]);
  assert.deepEqual(setting("Restart"), ["on-failure"]);
  assert.deepEqual(setting("RestartPreventExitStatus"), ["77 78"]);
  assert.deepEqual(setting("LoadCredential"), ["xmpp-password:/etc/xmpp-device-agent/password"]);
  assert.deepEqual(setting("Environment"), ["AGENT_CONFIG=/etc/xmpp-device-agent/config.json"]);
  assert.ok(Number(setting("WatchdogSec")[0]) > 0);
});

test("the sandbox denies writable executable memory to a JIT-less node, and leaves the network alone", () => {
  // MemoryDenyWriteExecute=yes kills node at its first JIT compile: only with --jitless (docs/operators.md, "Hardening")
  assert.deepEqual(setting("MemoryDenyWriteExecute"), ["yes"]);
  assert.match(setting("ExecStart")[0]!, /^\/usr\/bin\/node --jitless /);
  assert.deepEqual(setting("RestrictAddressFamilies"), ["AF_INET AF_INET6 AF_UNIX"]);
  assert.deepEqual(setting("PrivateNetwork"), []);
  assert.deepEqual(setting("ProcSubset"), [], "ProcSubset=pid would hide /proc/stat and /proc/meminfo");
});

test("the agent under systemd says READY=1, pings WATCHDOG=1 with its health, and STOPPING=1 on SIGTERM", async () => {
  requireCommand("systemd-notify", "systemd");
  requireCommand("python3", "python3");
  const socket = await notifySocket("path");
  const dir = mkdtempSync(join(tmpdir(), "agent-"));
  writeFileSync(join(dir, "config.json"), JSON.stringify({ sampling: { intervalSeconds: 0.5 } }));
  try {
    const agent = runCli(["run"], { AGENT_CONFIG: join(dir, "config.json"), NOTIFY_SOCKET: socket.address, WATCHDOG_USEC: "400000" });
    assert.match(await socket.waitFor((m) => m.startsWith("READY=1"), 10_000), /STATUS=started; no xmpp\.jid: sampling only/);
    assert.match(await socket.waitFor((m) => m.startsWith("WATCHDOG=1"), 5000), /^WATCHDOG=1\nSTATUS=(ok|warn|crit|unknown): ([^|\n]+ \| )?CPU \d+% RAM /);
    agent.child.kill("SIGTERM");
    assert.equal(await socket.waitFor((m) => m.startsWith("STOPPING=1"), 5000), "STOPPING=1\nSTATUS=stopping: SIGTERM");
    assert.deepEqual(await finished(agent, 5000), { code: 0, signal: null });
  } finally {
    socket.close();
  }
});
