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

test("an upgrade to the next version's .deb keeps the config and the password, and restarts the agent", async () => {
  const etc = join(pi.container.root, "etc/xmpp-device-agent");
  const [config, password] = [readFileSync(join(etc, "config.json")), readFileSync(join(etc, "password"))];
  const before = await pi.show("MainPID");
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
  assert.equal((await gone).getChildText("status"), "stopping: SIGTERM");
  await presenceSeen(pi, since);
});

test("`apt-get purge` stops the agent and removes the program, config, state and system user", async () => {
  const uid = (await pi.container.sh("id -u xmpp-device-agent")).trim();
  const gone = pi.operator.waitFor("the device going offline", isPresenceFrom(pi.device, "unavailable"), 30_000);
  await pi.container.sh("apt-get purge -y -q xmpp-device-agent", { env: APT });
  assert.equal((await gone).getChildText("status"), "stopping: SIGTERM");
  for (const path of ["usr/lib/xmpp-device-agent", "etc/xmpp-device-agent", "var/lib/xmpp-device-agent", "usr/lib/systemd/system/xmpp-device-agent.service"]) {
    assert.ok(!existsSync(join(pi.container.root, path)), `${path} is left`);
  }
  assert.equal((await pi.container.run(["getent", "passwd", "xmpp-device-agent"])).status, 2, "the user is left");
  assert.equal((await pi.container.run(["getent", "group", "xmpp-device-agent"])).status, 2, "the group is left");
  assert.equal((await pi.show("LoadState")).LoadState, "not-found");
  assert.equal((await pi.container.sh(`find /proc -maxdepth 1 -user ${uid}`)).trim(), "", "a process of the agent's user is left");
});
