import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { pino } from "pino";
import { systemdNotifier, watchdogIntervalMs } from "./notify.js";
import { notifySocket, type NotifySocket } from "../../test/support/notify-socket.js";
import { requireCommand } from "../../test/support/host-tools.js";

const log = pino({ level: "silent" });
const sockets: NotifySocket[] = [];

before(() => {
  requireCommand("systemd-notify", "systemd");
  requireCommand("python3", "python3");
});
after(() => sockets.forEach((s) => s.close()));

async function socketOf(kind: "path" | "abstract") {
  const socket = await notifySocket(kind);
  sockets.push(socket);
  return socket;
}

test("outside systemd (no NOTIFY_SOCKET) the agent sends nothing and starts no process", async () => {
  const sent: string[][] = [];
  const notifier = systemdNotifier({ log, env: { WATCHDOG_USEC: "1000" }, send: async (f) => void sent.push(f) });
  await notifier.ready("started");
  notifier.startWatchdog(() => "ok");
  await new Promise((r) => setTimeout(r, 20));
  await notifier.stopping("stopping: SIGTERM");
  notifier.stop();
  assert.equal(notifier.active, false);
  assert.equal(notifier.watchdogMs, null);
  assert.deepEqual(sent, []);
});

for (const kind of ["path", "abstract"] as const) {
  test(`systemd's ${kind} socket receives READY=1, WATCHDOG=1 and STOPPING=1 with their status`, async () => {
    const socket = await socketOf(kind);
    const env = { NOTIFY_SOCKET: socket.address, WATCHDOG_USEC: "200000", WATCHDOG_PID: String(process.pid) };
    const notifier = systemdNotifier({ log, env });
    assert.equal(notifier.watchdogMs, 100);

    await notifier.ready("started; logging in as pi-42@example.org");
    assert.equal(await socket.waitFor((m) => m.includes("READY=1")), "READY=1\nSTATUS=started; logging in as pi-42@example.org");

    notifier.startWatchdog(() => "ok: CPU 12%");
    await socket.waitFor(() => socket.messages.filter((m) => m.startsWith("WATCHDOG=1")).length >= 3, 3000);
    assert.ok(socket.messages.includes("WATCHDOG=1\nSTATUS=ok: CPU 12%"), JSON.stringify(socket.messages));
    notifier.stop();

    await notifier.stopping("stopping: SIGTERM");
    assert.equal(await socket.waitFor((m) => m.includes("STOPPING=1")), "STOPPING=1\nSTATUS=stopping: SIGTERM");
  });
}

test("a status with a newline stays one STATUS= line", async () => {
  const socket = await socketOf("path");
  const notifier = systemdNotifier({ log, env: { NOTIFY_SOCKET: socket.address } });
  await notifier.status("warn: temp 78°C\nREADY=1");
  assert.equal(await socket.waitFor((m) => m.startsWith("STATUS=")), "STATUS=warn: temp 78°C READY=1");
});

test("the watchdog pings at half of WatchdogSec, only in the process systemd watches", () => {
  assert.equal(watchdogIntervalMs({ WATCHDOG_USEC: "60000000" }, 42), 30_000);
  assert.equal(watchdogIntervalMs({ WATCHDOG_USEC: "60000000", WATCHDOG_PID: "42" }, 42), 30_000);
  assert.equal(watchdogIntervalMs({ WATCHDOG_USEC: "60000000", WATCHDOG_PID: "7" }, 42), null);
  assert.equal(watchdogIntervalMs({}, 42), null);
  assert.equal(watchdogIntervalMs({ WATCHDOG_USEC: "soon" }, 42), null);
});

test("a ping still waiting for PID 1 is not joined by another", async () => {
  let calls = 0;
  const notifier = systemdNotifier({ log, env: { NOTIFY_SOCKET: "/nowhere", WATCHDOG_USEC: "2000" }, send: () => (calls++, new Promise(() => undefined)) });
  notifier.startWatchdog(() => "ok");
  await new Promise((r) => setTimeout(r, 30));
  notifier.stop();
  assert.equal(calls, 1);
});

test("a socket that is gone is logged once, not at every ping", async () => {
  const lines: string[] = [];
  const sink = { write: (line: string) => void lines.push(line) };
  const notifier = systemdNotifier({ log: pino({ level: "warn" }, sink), env: { NOTIFY_SOCKET: "/nonexistent/notify" } });
  await notifier.status("one");
  await notifier.status("two");
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /systemd notification failed/);
});
