// The .deb under a real systemd on Debian 13 (trixie), the base of the current Raspberry Pi OS, as a Pi owner
// has it: `apt-get install ./xmpp-device-agent_<version>_all.deb` pulls Debian's own nodejs 20, the first
// config and password, then everything in service-checks.ts, an upgrade to the next version and a purge.
// `npm run test:systemd` (needs root, systemd-container and debootstrap; test/systemd/container.ts).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml, type Element } from "@xmpp/client";
import { isPresenceFrom } from "../support/peer.js";
import { editConfig, presenceSeen, serviceChecks, storePassword } from "./service-checks.js";
import { REPO, UNIT, startPi, type Pi } from "./pi.js";

const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const DEB = `xmpp-device-agent_${VERSION}_all.deb`;
const NEXT = `xmpp-device-agent_${VERSION}+1_all.deb`;
const OUT = mkdtempSync(join(tmpdir(), "package-"));
const APT = { DEBIAN_FRONTEND: "noninteractive" };
let pi: Pi;

before(async () => {
  // Needs `npm run build` (which `npm run test:systemd` runs); the next version is the same package at +1, as
  // test/package.test.ts makes it
  execFileSync("bash", [join(REPO, "systemd/package.sh"), "--out", OUT], { stdio: ["ignore", "ignore", "inherit"] });
  const next = join(OUT, "next");
  execFileSync("dpkg-deb", ["-R", join(OUT, DEB), next]);
  const control = join(next, "DEBIAN/control");
  writeFileSync(control, readFileSync(control, "utf8").replace(/^Version: .*$/m, `Version: ${VERSION}+1`));
  execFileSync("dpkg-deb", ["--root-owner-group", "-Zxz", "--build", next, join(OUT, NEXT)], { stdio: "ignore" });
  pi = await startPi("trixie");
});

after(async () => {
  await pi?.stop();
  rmSync(OUT, { recursive: true, force: true });
});

test("`apt-get install ./the.deb` pulls Debian's nodejs 20, then the agent runs, sampling until it has a JID", async () => {
  copyFileSync(join(OUT, DEB), join(pi.container.root, "root", DEB));
  await pi.container.sh(`cd /root && apt-get update -q && apt-get install -y -q ./${DEB}`, { env: APT, timeoutMs: 20 * 60_000 });
  assert.match(await pi.container.sh("dpkg-query -W -f '${Version}' nodejs"), /^20\.[\d.]+\+dfsg/, "Debian's own nodejs");
  assert.equal((await pi.container.sh("dpkg -S /usr/bin/node")).trim(), "nodejs: /usr/bin/node");
  assert.deepEqual(await pi.show("ActiveState", "UnitFileState", "StatusText"), { ActiveState: "active", UnitFileState: "enabled", StatusText: "started; no xmpp.jid: sampling only" });
});

test("the owner's first config and password, then `systemctl restart` returns once the agent is READY", async () => {
  editConfig(pi, (config) => {
    config.xmpp.jid = pi.device;
    config.xmpp.service = pi.prosody.service; // a loopback port: no SRV record to find it by
    config.operators = [pi.operator.jid];
  });
  await storePassword(pi, pi.password);
  await pi.container.sh(`systemctl restart ${UNIT}`);
  assert.deepEqual(await pi.show("ActiveState", "StatusText"), { ActiveState: "active", StatusText: `started; logging in as ${pi.device}` });
});

serviceChecks(() => pi, { node: "/usr/bin/node" });

test("the owner's checks inside the sandbox: a failed unit, a stopped one, root's processes hidden, a plugin", async () => {
  // Two units of the owner's: one that fails at start, one never started
  writeFileSync(join(pi.container.root, "etc/systemd/system/kiosk.service"), "[Service]\nExecStart=/bin/false\n");
  writeFileSync(join(pi.container.root, "etc/systemd/system/logger.service"), "[Service]\nExecStart=/bin/sleep infinity\n");
  await pi.container.sh("systemctl daemon-reload && (systemctl start kiosk.service || true)");
  editConfig(pi, (config) => {
    config.checks = [
      { name: "kiosk", type: "systemd", unit: "kiosk.service", every: 5 },
      { name: "logger", type: "systemd", unit: "logger.service", level: "warn", every: 5 },
      { name: "journald", type: "process", match: "systemd-journald", every: 5 },
      { name: "plugin", type: "command", argv: ["/bin/sh", "-c", "echo 'DISK OK - free space | /=5B;;;0;9'"], every: 5 },
    ];
    config.sampling = { intervalSeconds: 2 };
    config.presence = { raiseAfter: 1, clearAfter: 1 };
  });
  const since = pi.operator.received.length;
  await pi.container.sh(`systemctl restart ${UNIT}`);
  const dnd = await pi.operator.waitFor("the device dnd for its failed unit", (s) => isPresenceFrom(pi.device)(s) && s.getChildText("show") === "dnd", 60_000, since);
  // The first crit goes out at once, maybe before the other checks' first runs: kiosk's reason leads either way
  assert.match(dnd.getChildText("status") ?? "", /^kiosk: failed \(exit-code\)(, | \| )/);
  // Replies, not alerts (those carry a XEP-0334 store hint)
  const isReply = (s: Element) =>
    s.is("message") && String(s.attrs.from ?? "").startsWith(pi.device) && s.getChild("body") !== undefined && !s.getChild("store", "urn:xmpp:hints");
  const ask = async () => {
    const reply = pi.operator.waitFor("the reply to checks", isReply, 15_000, pi.operator.received.length);
    await pi.operator.send(xml("message", { to: pi.device, type: "chat" }, xml("body", {}, "checks")));
    return (await reply).getChildText("body") ?? "";
  };
  // The first runs are spread over the first seconds: ask until every check has run once
  let text = await ask();
  for (let tries = 0; /not run yet/.test(text) && tries < 10; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    text = await ask();
  }
  pi.capture("checks", text);
  assert.match(text, /^checks: 1 crit, 1 unknown, 1 warn, 1 ok\n/);
  assert.match(text, /^kiosk CRIT: failed \(exit-code\) \(\d+ s ago\)$/m);
  assert.match(text, /^logger WARN: inactive \(dead\) \(\d+ s ago\)$/m);
  // ProtectProc=invisible: root's journald cannot be seen, which the check says instead of "not running"
  assert.match(text, /^journald UNKNOWN: other users' processes are hidden \(ProtectProc=invisible\)/m);
  assert.match(text, /^plugin ok: DISK OK - free space \(\d+ s ago\)$/m);
  editConfig(pi, (config) => {
    delete config.checks;
    delete config.sampling;
    delete config.presence;
  });
  await pi.container.sh(`systemctl restart ${UNIT}`);
});

test("the fleet watch under its own unit: enabled as docs/fleet.md says, sandboxed, it answers fleet and tells a clean stop", async () => {
  const WATCH_UNIT = "xmpp-device-agent-watch.service";
  const watcher = await pi.prosody.register("watch", "watch-pw");
  // docs/fleet.md, "Setting up the watcher": the device lists the watcher first, so it approves its request
  editConfig(pi, (config) => {
    config.operators = [pi.operator.jid, watcher];
  });
  await pi.container.sh(`systemctl restart ${UNIT}`);
  const watchConfig = { xmpp: { jid: watcher, service: pi.prosody.service }, operators: [pi.operator.jid], watch: { devices: [pi.device] } };
  writeFileSync(join(pi.container.root, "etc/xmpp-device-agent/watch.json"), `${JSON.stringify(watchConfig, null, 2)}\n`);
  await pi.container.sh("cat | install -m 0600 /dev/stdin /etc/xmpp-device-agent/watch-password", { input: "watch-pw\n" });
  await pi.container.sh(`systemctl enable --now ${WATCH_UNIT}`);
  const state = await pi.container.sh(`systemctl show -p ActiveState -p StatusText -p MainPID ${WATCH_UNIT}`);
  assert.match(state, /^ActiveState=active$/m);
  assert.match(state, /^StatusText=watching 1 devices/m);
  const pid = /^MainPID=(\d+)$/m.exec(state)![1]!;
  const status = await pi.container.sh(`cat /proc/${pid}/status`);
  assert.match(status, /^CapEff:\s+0+$/m);
  assert.match(status, /^NoNewPrivs:\s+1$/m);
  assert.match(status, /^Seccomp:\s+2$/m);

  // The operator asks by chat, as from a phone; replies carry no store hint, the watcher's news does
  const fromWatcher = (s: Element) => s.is("message") && String(s.attrs.from ?? "").startsWith(watcher) && s.getChild("body") !== undefined;
  const isReply = (s: Element) => fromWatcher(s) && !s.getChild("store", "urn:xmpp:hints");
  const ask = async () => {
    const reply = pi.operator.waitFor("the watcher's reply to fleet", isReply, 15_000, pi.operator.received.length);
    await pi.operator.send(xml("message", { to: watcher, type: "chat" }, xml("body", {}, "fleet")));
    return (await reply).getChildText("body") ?? "";
  };
  let fleet = await ask();
  for (let tries = 0; !/^1 devices: 1 (ok|warn|crit)/.test(fleet) && tries < 15; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    fleet = await ask();
  }
  pi.capture("watch-fleet", fleet);
  assert.match(fleet, /^1 devices: 1 (ok|warn|crit)\npi-42 (ok|warn|crit)/);

  // The operator's choice of news is kept in the unit's StateDirectory, writable inside the sandbox
  const chosen = pi.operator.waitFor("the watcher's reply to alerts warn", isReply, 15_000, pi.operator.received.length);
  await pi.operator.send(xml("message", { to: watcher, type: "chat" }, xml("body", {}, "alerts warn")));
  assert.doesNotMatch((await chosen).getChildText("body") ?? "", /Not kept/);
  assert.match(await pi.container.sh("cat /var/lib/xmpp-device-agent-watch/alerts.json"), new RegExp(`"${pi.operator.jid}": "warn"`));

  const since = pi.operator.received.length;
  await pi.container.sh(`systemctl stop ${UNIT}`);
  const note = await pi.operator.waitFor("the watcher's note of the clean stop", (s) => fromWatcher(s) && /stopped cleanly/.test(s.getChildText("body") ?? ""), 60_000, since);
  assert.match(note.getChildText("body") ?? "", /^pi-42 stopped cleanly \(stopping: SIGTERM\)$/m);
  assert.doesNotMatch(note.getChildText("body") ?? "", /offline|silent/);
  await pi.container.sh(`systemctl start ${UNIT}`);
  await presenceSeen(pi, since);

  const journal = await pi.container.sh(`journalctl -u ${WATCH_UNIT} -o cat --no-pager`);
  const lines = journal.split("\n").filter((l) => l.startsWith("{"));
  assert.ok(lines.some((l) => JSON.parse(l).msg === "online"), "no `online` line from the watcher");
  assert.equal(journal.includes("watch-pw"), false, "the watcher's password is in its journal");
});

test("an upgrade to the next version's .deb keeps the config and the password, and restarts the agent", async () => {
  const etc = join(pi.container.root, "etc/xmpp-device-agent");
  const [config, password] = [readFileSync(join(etc, "config.json")), readFileSync(join(etc, "password"))];
  const before = await pi.show("MainPID");
  const watchPid = async () => (await pi.container.sh("systemctl show -p MainPID xmpp-device-agent-watch.service")).trim();
  const watchBefore = await watchPid();
  copyFileSync(join(OUT, NEXT), join(pi.container.root, "root", NEXT));
  const gone = pi.operator.waitFor("the device going offline", isPresenceFrom(pi.device, "unavailable"), 30_000);
  const since = pi.operator.received.length;
  await pi.container.sh(`cd /root && apt-get install -y -q ./${NEXT}`, { env: APT, timeoutMs: 5 * 60_000 });
  assert.equal(await pi.container.sh("dpkg-query -W -f '${Version}' xmpp-device-agent"), `${VERSION}+1`);
  assert.deepEqual(readFileSync(join(etc, "config.json")), config);
  assert.deepEqual(readFileSync(join(etc, "password")), password);
  const now = await pi.show("MainPID", "ActiveState");
  assert.equal(now.ActiveState, "active");
  assert.notEqual(now.MainPID, before.MainPID, "restarted");
  assert.notEqual(await watchPid(), watchBefore, "the fleet watch restarted with the new program");
  assert.doesNotMatch(await watchPid(), /^MainPID=0$/);
  assert.equal((await gone).getChildText("status"), "stopping: SIGTERM");
  await presenceSeen(pi, since);
});

test("`apt-get purge` stops the agent and removes the program, config, state and system user", async () => {
  const uid = (await pi.container.sh("id -u xmpp-device-agent")).trim();
  const gone = pi.operator.waitFor("the device going offline", isPresenceFrom(pi.device, "unavailable"), 30_000);
  await pi.container.sh("apt-get purge -y -q xmpp-device-agent", { env: APT });
  assert.equal((await gone).getChildText("status"), "stopping: SIGTERM");
  for (const path of ["usr/lib/xmpp-device-agent", "etc/xmpp-device-agent", "var/lib/xmpp-device-agent", "var/lib/xmpp-device-agent-watch", "usr/lib/systemd/system/xmpp-device-agent.service", "usr/lib/systemd/system/xmpp-device-agent-watch.service"]) {
    assert.ok(!existsSync(join(pi.container.root, path)), `${path} is left`);
  }
  assert.equal((await pi.container.run(["getent", "passwd", "xmpp-device-agent"])).status, 2, "the user is left");
  assert.equal((await pi.container.run(["getent", "group", "xmpp-device-agent"])).status, 2, "the group is left");
  assert.equal((await pi.show("LoadState")).LoadState, "not-found");
  assert.equal((await pi.container.sh(`find /proc -maxdepth 1 -user ${uid}`)).trim(), "", "a process of the agent's user is left");
});
