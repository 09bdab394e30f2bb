// Each kind of check against the real thing: an HTTP server that answers 200 then 502, a listening and a closed
// port, a process started and killed, a heartbeat file left to age, and Debian's monitoring-plugins through
// `command` (exit codes and perf data). The systemd kind runs under a real systemd in test/systemd/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProbe } from "../src/checks/probe.js";
import { resultOf } from "../src/checks/result.js";
import { withDefaults } from "../src/checks/spec.js";
import { requireCommand } from "./support/host-tools.js";

const PLUGINS = "/usr/lib/nagios/plugins";

/** One check from its config, run once: what `checks` would show. */
async function check(raw: Record<string, unknown>) {
  const [spec] = withDefaults([{ name: "t", ...raw }]);
  const started = Date.now();
  return resultOf(spec!, await runProbe(spec!, "test"), Date.now(), Date.now() - started);
}

test("http: 200 is ok, then the app answers 502 and the check says so; a dead port is refused", async () => {
  let status = 200;
  const server = createHttpServer((_req, res) => res.writeHead(status).end("body"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/health`;
  try {
    assert.deepEqual(await check({ type: "http", url }).then((r) => [r.state, r.text]), ["ok", "HTTP 200"]);
    status = 502;
    assert.deepEqual(await check({ type: "http", url }).then((r) => [r.state, r.text]), ["crit", "HTTP 502, expected 200"]);
    assert.deepEqual(await check({ type: "http", url, expect: 502, level: "warn" }).then((r) => r.state), "ok");
  } finally {
    server.close();
  }
  const dead = await check({ type: "http", url, level: "warn" });
  assert.equal(dead.state, "warn");
  assert.match(dead.text, /^connection refused on port \d+$/);
});

test("http: a server that never answers is a failure after the timeout, not a hang", async () => {
  const server = createServer(() => undefined); // accepts, says nothing
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const port = (server.address() as { port: number }).port;
    const result = await check({ type: "http", url: `http://127.0.0.1:${port}/`, timeout: 1 });
    assert.deepEqual([result.state, result.text], ["crit", "no answer in 1 s"]);
    assert.ok(result.durationMs >= 900 && result.durationMs < 3000, `${result.durationMs} ms`);
  } finally {
    server.close();
  }
});

test("tcp: a listening port is open; a closed one is refused", async () => {
  const server = createServer((socket) => socket.end());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  assert.deepEqual(await check({ type: "tcp", host: "127.0.0.1", port }).then((r) => [r.state, r.text]), ["ok", `port ${port} open`]);
  server.close();
  await once(server, "close");
  assert.deepEqual(await check({ type: "tcp", host: "127.0.0.1", port }).then((r) => [r.state, r.text]), ["crit", `connection refused on port ${port}`]);
});

test("process: found while it runs (by command-line part), not running once killed", async () => {
  const marker = `checks-probe-${process.pid}.sleeper`;
  // argv0: the command line a process check sees starts with the marker
  const child = spawn("sleep", ["60"], { argv0: marker, stdio: "ignore" });
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await check({ type: "process", match: marker }).then((r) => [r.state, r.text]), ["ok", "1 running"]);
    assert.deepEqual(await check({ type: "process", match: marker, min: 2 }).then((r) => [r.state, r.text]), ["crit", "1 running, fewer than 2"]);
  } finally {
    const exited = child.exitCode === null && child.signalCode === null ? once(child, "exit") : Promise.resolve();
    child.kill("SIGKILL");
    await exited;
  }
  assert.deepEqual(await check({ type: "process", match: marker }).then((r) => [r.state, r.text]), ["crit", "not running"]);
});

test("file: a fresh heartbeat is ok; left to age past maxAgeSeconds it is stale; removed it is missing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "checks-"));
  const path = join(dir, "heartbeat");
  writeFileSync(path, "");
  assert.deepEqual(await check({ type: "file", path, maxAgeSeconds: 120 }).then((r) => [r.state, r.text]), ["ok", "changed 0 s ago"]);
  const tenMinutesAgo = new Date(Date.now() - 600_000);
  utimesSync(path, tenMinutesAgo, tenMinutesAgo);
  assert.deepEqual(await check({ type: "file", path, maxAgeSeconds: 120 }).then((r) => [r.state, r.text]), ["crit", "stale: changed 10 min ago, max 2 min"]);
  assert.deepEqual(await check({ type: "file", path: join(dir, "gone") }).then((r) => [r.state, r.text]), ["crit", "missing"]);
});

test("command: Debian's check_disk, check_procs and check_tcp, with their exit codes, text and perf data", async () => {
  requireCommand(`${PLUGINS}/check_disk`, "monitoring-plugins-basic");
  const disk = await check({ type: "command", argv: [`${PLUGINS}/check_disk`, "-w", "1%", "-c", "1%", "-p", "/"] });
  assert.equal(disk.state, "ok");
  assert.match(disk.text, /^DISK OK - free space: \/ /);
  assert.equal(disk.perf[0]?.label, "/");
  assert.ok(disk.perf[0]!.value > 0 && disk.perf[0]!.max! >= disk.perf[0]!.value, JSON.stringify(disk.perf));

  const procs = await check({ type: "command", argv: [`${PLUGINS}/check_procs`, "-c", "1:", "-C", "no-such-program-x"] });
  assert.deepEqual([procs.state, procs.text], ["crit", "PROCS CRITICAL: 0 processes with command name 'no-such-program-x'"]);
  assert.deepEqual(procs.perf.map((p) => [p.label, p.value, p.crit]), [["procs", 0, "1:"]]);

  const warnOnly = await check({ type: "command", argv: [`${PLUGINS}/check_procs`, "-w", "1:", "-C", "no-such-program-x"] });
  assert.equal(warnOnly.state, "warn", "exit 1 is warn");

  const tcp = await check({ type: "command", argv: [`${PLUGINS}/check_tcp`, "-H", "127.0.0.1", "-p", "1"], level: "warn" });
  assert.deepEqual([tcp.state, tcp.text], ["warn", "connect to address 127.0.0.1 and port 1: Connection refused"], "a critical plugin capped at level warn");
});

test("command: killed at its timeout, unknown when it cannot run, output capped", async () => {
  const started = Date.now();
  const slow = await check({ type: "command", argv: ["/bin/sleep", "30"], timeout: 1 });
  assert.deepEqual([slow.state, slow.text], ["unknown", "timed out after 1 s (killed)"]);
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual(await check({ type: "command", argv: ["/nonexistent/check_x"] }).then((r) => [r.state, r.text]), ["unknown", "cannot run /nonexistent/check_x: not found"]);
  const chatty = await check({ type: "command", argv: ["/bin/sh", "-c", "yes 'OK - fine | x=1' | head -c 10000000; exit 0"] });
  assert.equal(chatty.state, "ok");
  assert.equal(chatty.text, "OK - fine");
  assert.ok(chatty.perf.length <= 8 * 1024 / 10, `${chatty.perf.length} perf items: the output was capped`);
  const status3 = await check({ type: "command", argv: ["/bin/sh", "-c", "echo 'UNKNOWN - no data'; exit 3"] });
  assert.deepEqual([status3.state, status3.text], ["unknown", "UNKNOWN - no data"]);
});

test("command: plugins get no secret from the agent's environment", async () => {
  process.env.XMPP_PASSWORD = "never-shown-to-plugins";
  try {
    const env = await check({ type: "command", argv: ["/bin/sh", "-c", "env | tr '\\n' ' '"] });
    assert.doesNotMatch(env.text, /never-shown-to-plugins|XMPP_PASSWORD/);
  } finally {
    delete process.env.XMPP_PASSWORD;
  }
});
