// What an owner and an operator see of the agent under a real systemd, once it is installed and configured
// (by the .deb or by install.sh): the same checks for every Debian release, registered in the calling test
// file in this order, each starting from a running agent and leaving one running.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isPresenceFrom } from "../support/peer.js";
import { needles } from "../faults/support/secrets-forms.js";
import { UNIT, type Pi } from "./pi.js";

const CONFIG = "/etc/xmpp-device-agent/config.json";
const HEALTH_STATUS = /^(ok|warn|crit|unknown): CPU /;

/** The operator's first available presence from the device after the `since`th stanza; resolves with its status line. */
export async function presenceSeen(pi: Pi, since: number, timeoutMs = 30_000): Promise<string> {
  const presence = await pi.operator.waitFor(`${pi.device}'s available presence`, isPresenceFrom(pi.device), timeoutMs, since);
  return presence.getChildText("status") ?? "";
}

/** The password as an owner stores it (docs/operators.md); through `cat`, as node's stdin is a socket, which
 * /dev/stdin cannot open. */
export const storePassword = (pi: Pi, password: string) => pi.container.sh("cat | install -m 0600 /dev/stdin /etc/xmpp-device-agent/password", { input: `${password}\n` });

/** The config as sudoedit leaves it: same file, same owner and mode. */
export function editConfig(pi: Pi, edit: (config: Record<string, any>) => void): void {
  const file = join(pi.container.root, CONFIG);
  const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, any>;
  edit(config);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

/** Lines of a mountinfo whose mount holds `path` (the last of the longest mount points: the one on top). */
function mountHolding(mountinfo: string, path: string): { point: string; options: string[] } {
  const mounts = mountinfo.trim().split("\n").map((line) => line.split(" ")).map((f) => ({ point: f[4]!, options: f[5]!.split(",") }));
  const holding = mounts.filter((m) => path === m.point || path.startsWith(m.point === "/" ? "/" : `${m.point}/`));
  const longest = Math.max(...holding.map((m) => m.point.length));
  return holding.filter((m) => m.point.length === longest).at(-1)!;
}

export function serviceChecks(scene: () => Pi, { node }: { node: string }): void {
  test("the operator sees the device's presence with its status line", async () => {
    const pi = scene();
    assert.match(await presenceSeen(pi, 0), /CPU \d+%/);
  });

  test("the journal has the agent's JSON lines, and the password nowhere in it", async () => {
    const pi = scene();
    const lines = await pi.agentLines();
    assert.ok(lines.length > 0, "no lines from the agent");
    for (const line of lines) {
      const entry = JSON.parse(line) as { time?: number; msg?: string };
      // pino's level comes first, read from the text: the presence line has a `level` of its own (ok, crit)
      assert.ok(/^\{"level":\d+,/.test(line) && typeof entry.time === "number" && typeof entry.msg === "string", line);
    }
    assert.ok(lines.some((l) => JSON.parse(l).msg === "online" && JSON.parse(l).jid.startsWith(`${pi.device}/`)), "no `online` line");
    // Every field of every entry, systemd's own included
    const journal = await pi.container.sh("journalctl -o export --no-pager");
    for (const { form, text } of needles({ user: "pi-42", domain: pi.prosody.domain, password: pi.password })) {
      assert.equal(journal.includes(text), false, `the password (${form}) is in the journal`);
    }
  });

  test("the sandbox holds while the agent runs: no capabilities, read-only /etc and /usr, no /home, no W+X memory", async () => {
    const pi = scene();
    const { MainPID: pid, MemoryDenyWriteExecute } = await pi.show("MainPID", "MemoryDenyWriteExecute");
    assert.equal(MemoryDenyWriteExecute, "yes");
    const status = await pi.container.sh(`cat /proc/${pid}/status`);
    assert.match(status, /^CapEff:\s+0+$/m);
    assert.match(status, /^CapBnd:\s+0+$/m);
    assert.match(status, /^NoNewPrivs:\s+1$/m);
    assert.match(status, /^Seccomp:\s+2$/m);
    const uid = (await pi.container.sh("id -u xmpp-device-agent")).trim();
    assert.match(status, new RegExp(`^Uid:\\s+${uid}\\s`, "m"), "runs as its own user");
    const cmdline = (await pi.container.sh(`cat /proc/${pid}/cmdline`)).split("\0").filter(Boolean);
    assert.deepEqual(cmdline, [node, "--jitless", "--no-expose-wasm", "/usr/lib/xmpp-device-agent/dist/cli.js", "run"]);
    const mountinfo = await pi.container.sh(`cat /proc/${pid}/mountinfo`);
    for (const path of ["/etc", "/usr", "/etc/xmpp-device-agent/config.json"]) {
      assert.ok(mountHolding(mountinfo, path).options.includes("ro"), `${path} is writable to the agent`);
    }
    // ProtectHome=yes: an empty directory that only root could enter, over /home
    assert.equal(mountHolding(mountinfo, "/home").point, "/home");
    assert.equal((await pi.container.sh(`stat -c %a /proc/${pid}/root/home`)).trim(), "0");
    // The config: read (the agent logged in as its JID); the password: from the credential systemd passed
    const environ = (await pi.container.sh(`cat /proc/${pid}/environ`)).split("\0");
    const credentials = environ.find((e) => e.startsWith("CREDENTIALS_DIRECTORY="))?.split("=")[1];
    assert.ok(credentials, "no CREDENTIALS_DIRECTORY");
    assert.equal(await pi.container.sh(`cat /proc/${pid}/root${credentials}/xmpp-password`), `${pi.password}\n`);
    assert.equal((await pi.container.sh("stat -c '%a %U' /etc/xmpp-device-agent/password")).trim(), "600 root");
  });

  test("`systemctl status` shows the health the agent reports every 30 s", async () => {
    const pi = scene();
    const { StatusText } = await pi.until("a health status", ["StatusText"], (s) => HEALTH_STATUS.test(s.StatusText!), 45_000);
    const status = await pi.container.run(["systemctl", "status", "--no-pager", "--full", UNIT], { env: { COLUMNS: "120" } });
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /Active: active \(running\)/);
    assert.ok(status.stdout.includes(`Status: "${StatusText}"`), status.stdout);
    pi.capture("status", status.stdout);
    pi.capture("journal", (await pi.container.sh(`journalctl -u ${UNIT} -o cat --no-pager`)));
  });

  test("`systemctl stop`: the operator sees the device go offline saying why, and the unit ends with Result=success", async () => {
    const pi = scene();
    const gone = pi.operator.waitFor("the device going offline", isPresenceFrom(pi.device, "unavailable"), 15_000);
    await pi.container.sh(`systemctl stop ${UNIT}`);
    assert.equal((await gone).getChildText("status"), "stopping: SIGTERM");
    assert.deepEqual(await pi.show("ActiveState", "Result", "ExecMainStatus"), { ActiveState: "inactive", Result: "success", ExecMainStatus: "0" });
  });

  test("`systemctl start` returns once the agent said READY: active at once, with the READY status", async () => {
    const pi = scene();
    const since = pi.operator.received.length;
    await pi.container.sh(`systemctl start ${UNIT}`);
    assert.deepEqual(await pi.show("ActiveState", "SubState", "StatusText"), { ActiveState: "active", SubState: "running", StatusText: `started; logging in as ${pi.device}` });
    assert.match(await presenceSeen(pi, since), /CPU \d+%/);
  });

  test("without --jitless the same sandbox kills node at start: MemoryDenyWriteExecute is in effect", async () => {
    const pi = scene();
    const dropIn = "/etc/systemd/system/xmpp-device-agent.service.d/zz-jit.conf";
    await pi.container.sh(`mkdir -p ${dropIn.replace(/\/[^/]+$/, "")} && printf '[Service]\\nExecStart=\\nExecStart=${node} /usr/lib/xmpp-device-agent/dist/cli.js run\\n' > ${dropIn} && systemctl daemon-reload`);
    const since = pi.operator.received.length;
    const restart = await pi.container.run(["systemctl", "restart", UNIT]);
    assert.notEqual(restart.status, 0, "node with its JIT started under MemoryDenyWriteExecute=yes");
    const state = await pi.show("Result", "ExecMainCode", "ExecMainStatus");
    await pi.container.sh(`systemctl stop ${UNIT}; rm ${dropIn}; systemctl daemon-reload; systemctl reset-failed ${UNIT}; systemctl start ${UNIT}`);
    // V8's "Check failed" in SetPermissions ends in a trap: killed by a signal, or a core dump
    assert.match(state.Result!, /^(signal|core-dump)$/, JSON.stringify(state));
    await presenceSeen(pi, since);
  });

  test("a hung agent (SIGSTOP) is killed by the watchdog and restarted, and the operator sees it again", async () => {
    const pi = scene();
    const before = await pi.show("MainPID", "NRestarts");
    assert.ok(Number(before.MainPID) > 1, `no agent to hang: MainPID=${before.MainPID}`);
    const since = pi.operator.received.length;
    await pi.container.sh(`kill -STOP ${before.MainPID}`);
    // WatchdogSec=60, then SIGABRT (stopped, so TimeoutAbortSec later SIGKILL), then RestartSec=10
    await pi.until("a restart after the watchdog", ["MainPID", "NRestarts", "ActiveState"], (s) => s.ActiveState === "active" && s.MainPID !== before.MainPID && s.MainPID !== "0", 150_000);
    const after = await pi.show("NRestarts");
    assert.equal(Number(after.NRestarts), Number(before.NRestarts) + 1);
    const journal = await pi.container.sh(`journalctl -u ${UNIT} -o cat --no-pager`);
    assert.match(journal, /Watchdog timeout/);
    assert.match(journal, /Failed with result 'watchdog'/);
    pi.capture("watchdog", await pi.container.sh(`journalctl -u ${UNIT} -o short-precise --no-pager --grep '^xmpp-device-agent.service: |Started|Starting'`));
    await presenceSeen(pi, since, 45_000);
  });

  test("a wrong password exits 77 and is not restarted", async () => {
    const pi = scene();
    await storePassword(pi, "not-the-password");
    // READY comes before the login, so the restart itself succeeds; then the server refuses
    await pi.container.sh(`systemctl restart ${UNIT}`);
    const state = await pi.until("the unit leaving active", ["ActiveState", "SubState", "Result", "ExecMainStatus"], (s) => s.ActiveState !== "active", 45_000);
    // A restart still to come shows as activating/auto-restart; failed means none is
    assert.deepEqual(state, { ActiveState: "failed", SubState: "failed", Result: "exit-code", ExecMainStatus: "77" });
    const status = await pi.container.run(["systemctl", "status", "--no-pager", "--full", UNIT], { env: { COLUMNS: "120" } });
    pi.capture("status-77", status.stdout);
    assert.match(status.stdout, /status=77/);
  });

  test("an invalid configuration exits 78 before READY, so `systemctl start` fails, and it is not restarted", async () => {
    const pi = scene();
    await storePassword(pi, pi.password);
    const saved = readFileSync(join(pi.container.root, CONFIG), "utf8");
    editConfig(pi, (config) => (config.sampling.intervalSeconds = 0));
    const started = await pi.container.run(["systemctl", "start", UNIT]);
    assert.notEqual(started.status, 0);
    assert.deepEqual(await pi.show("ActiveState", "SubState", "Result", "ExecMainStatus"), { ActiveState: "failed", SubState: "failed", Result: "exit-code", ExecMainStatus: "78" });
    // Said on stderr before any logger exists, so as plain text
    assert.ok((await pi.agentLines()).some((l) => l.startsWith("sampling.intervalSeconds: must be a number")), "the journal names the key");
    writeFileSync(join(pi.container.root, CONFIG), saved);
    const since = pi.operator.received.length;
    await pi.container.sh(`systemctl start ${UNIT}`);
    await presenceSeen(pi, since);
  });

  test("enabled at boot: after a power-off and a fresh boot the agent runs and the operator sees it", async () => {
    const pi = scene();
    assert.equal((await pi.container.sh(`systemctl is-enabled ${UNIT}`)).trim(), "enabled");
    const gone = pi.operator.waitFor("the device going offline", isPresenceFrom(pi.device, "unavailable"), 30_000);
    const since = pi.operator.received.length;
    await pi.container.poweroff();
    assert.equal((await gone).getChildText("status"), "stopping: SIGTERM");
    await pi.bootAgain();
    assert.deepEqual(await pi.show("ActiveState", "NRestarts"), { ActiveState: "active", NRestarts: "0" });
    await presenceSeen(pi, since);
  });
}
