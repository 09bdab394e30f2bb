// The release tarball under a real systemd on Debian 12 (bookworm), the base of the previous Raspberry Pi OS,
// whose own nodejs is 18: Node 20 comes from elsewhere into /usr/local/bin (on a Pi the official tarball from
// nodejs.org, here this host's node binary), and `install.sh --node /usr/local/bin/node` writes the unit's
// drop-in for it. Then everything in service-checks.ts, and `install.sh --uninstall --purge`.
// `npm run test:systemd` (needs root, systemd-container and debootstrap; test/systemd/container.ts).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isPresenceFrom } from "../support/peer.js";
import { serviceChecks } from "./service-checks.js";
import { REPO, startPi, type Pi } from "./pi.js";

const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const TARBALL = `xmpp-device-agent-${VERSION}.tar.gz`;
const NODE = "/usr/local/bin/node";
const OUT = mkdtempSync(join(tmpdir(), "package-"));
let pi: Pi;

before(async () => {
  execFileSync("bash", [join(REPO, "systemd/package.sh"), "--out", OUT], { stdio: ["ignore", "ignore", "inherit"] });
  pi = await startPi("bookworm");
});

after(async () => {
  await pi?.stop();
  rmSync(OUT, { recursive: true, force: true });
});

test("with Node 20 in /usr/local/bin, `install.sh --node` from the release tarball installs, enables and starts the agent", async () => {
  copyFileSync(process.execPath, join(pi.container.root, NODE.slice(1)));
  chmodSync(join(pi.container.root, NODE.slice(1)), 0o755);
  assert.equal((await pi.container.sh(`${NODE} --version`)).trim(), process.version);
  assert.equal((await pi.container.run(["dpkg-query", "-W", "nodejs"])).status, 1, "no Debian nodejs (18) in the way");
  copyFileSync(join(OUT, TARBALL), join(pi.container.root, "root", TARBALL));
  const out = await pi.container.sh(
    `cd /root && tar xzf ${TARBALL} && cd xmpp-device-agent-${VERSION} && ` +
      `./install.sh --node ${NODE} --jid ${pi.device} --operators ${pi.operator.jid} --service ${pi.prosody.service} --password-file -`,
    { input: `${pi.password}\n` },
  );
  assert.match(out, new RegExp(`installed ${VERSION.replace(/\./g, "\\.")}; systemctl status`));
  assert.ok(!out.includes(pi.password));
  assert.deepEqual(await pi.show("ActiveState", "UnitFileState", "StatusText"), { ActiveState: "active", UnitFileState: "enabled", StatusText: `started; logging in as ${pi.device}` });
});

serviceChecks(() => pi, { node: NODE });

test("`install.sh --uninstall --purge` stops the agent and removes the program, config, state and system user", async () => {
  const uid = (await pi.container.sh("id -u xmpp-device-agent")).trim();
  const gone = pi.operator.waitFor("the device going offline", isPresenceFrom(pi.device, "unavailable"), 30_000);
  await pi.container.sh(`/root/xmpp-device-agent-${VERSION}/install.sh --uninstall --purge`);
  assert.equal((await gone).getChildText("status"), "stopping: SIGTERM");
  for (const path of ["usr/lib/xmpp-device-agent", "etc/xmpp-device-agent", "var/lib/xmpp-device-agent", "etc/systemd/system/xmpp-device-agent.service", "etc/systemd/system/xmpp-device-agent.service.d"]) {
    assert.ok(!existsSync(join(pi.container.root, path)), `${path} is left`);
  }
  assert.equal((await pi.container.run(["getent", "passwd", "xmpp-device-agent"])).status, 2, "the user is left");
  assert.equal((await pi.show("LoadState")).LoadState, "not-found");
  assert.equal((await pi.container.sh(`find /proc -maxdepth 1 -user ${uid}`)).trim(), "", "a process of the agent's user is left");
});
