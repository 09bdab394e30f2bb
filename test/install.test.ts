// systemd/install.sh, run as an operator runs it from the release tarball, into a scratch root (--root DIR):
// files, modes and owners, the system user, the enablement symlink, a second run, bad flags, uninstall.
// No running systemd is needed: systemctl --root and systemd-sysusers --root work on plain directories.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireCommand } from "./support/host-tools.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
let tarballTree = "";

before(() => {
  assert.equal(process.getuid?.(), 0, "install.sh needs root (it chowns files and creates a system user): run npm test as root, as CI does");
  requireCommand("systemd-sysusers", "systemd");
  requireCommand("systemctl", "systemd");
  // The unpacked tarball, exactly as `npm run package` makes it (needs `npm run build`, which `npm test` runs)
  const out = mkdtempSync(join(tmpdir(), "package-"));
  tarballTree = execFileSync("bash", [join(REPO, "systemd/package.sh"), "--out", out, "--stage-only"], { encoding: "utf8" }).trim().split("\n").pop()!;
});

function install(root: string, args: string[], input?: string) {
  return spawnSync(join(tarballTree, "install.sh"), ["--root", root, ...args], { encoding: "utf8", input: input ?? "" });
}

function scratchRoot(): string {
  return mkdtempSync(join(tmpdir(), "root-"));
}

const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8);
const owner = (path: string) => `${statSync(path).uid}:${statSync(path).gid}`;
const groupId = (root: string) => /^xmpp-device-agent:x:(\d+):/m.exec(readFileSync(join(root, "etc/group"), "utf8"))?.[1];

test("install.sh --root puts the agent, its unit, its user, its config and its password in place, and enables it", () => {
  const root = scratchRoot();
  const password = join(root, "..", `pw-${Date.now()}`);
  writeFileSync(password, "s3cret pass\nsecond line ignored\n");
  const run = install(root, ["--jid", "pi-42@example.org", "--operators", "alice@example.org, *@ops.example.org", "--password-file", password]);
  assert.equal(run.status, 0, run.stderr);

  assert.ok(existsSync(join(root, "usr/lib/xmpp-device-agent/dist/cli.js")));
  assert.ok(!existsSync(join(root, "usr/lib/xmpp-device-agent/node_modules")), "the dependencies are inside dist/cli.js");
  assert.equal(readFileSync(join(root, "etc/systemd/system/xmpp-device-agent.service"), "utf8"), readFileSync(join(REPO, "systemd/xmpp-device-agent.service"), "utf8"));
  assert.equal(readlinkSync(join(root, "etc/systemd/system/multi-user.target.wants/xmpp-device-agent.service")), "/etc/systemd/system/xmpp-device-agent.service");
  // The fleet watch's unit comes along, not enabled: it runs on the one machine that watches (docs/fleet.md)
  assert.equal(readFileSync(join(root, "etc/systemd/system/xmpp-device-agent-watch.service"), "utf8"), readFileSync(join(REPO, "systemd/xmpp-device-agent-watch.service"), "utf8"));
  assert.ok(!existsSync(join(root, "etc/systemd/system/multi-user.target.wants/xmpp-device-agent-watch.service")), "the watch is not enabled");
  assert.equal(readlinkSync(join(root, "usr/local/bin/xmpp-device-agent")), "/usr/lib/xmpp-device-agent/dist/cli.js");
  assert.match(readFileSync(join(root, "etc/passwd"), "utf8"), /^xmpp-device-agent:x:\d+:\d+:[^:]*:\/nonexistent:\/usr\/sbin\/nologin$/m);

  const gid = groupId(root);
  const etc = join(root, "etc/xmpp-device-agent");
  assert.equal(`${mode(etc)} ${owner(etc)}`, `750 0:${gid}`);
  assert.equal(`${mode(join(etc, "config.json"))} ${owner(join(etc, "config.json"))}`, `640 0:${gid}`);
  assert.equal(`${mode(join(etc, "password"))} ${owner(join(etc, "password"))}`, "600 0:0");
  assert.equal(readFileSync(join(etc, "password"), "utf8"), "s3cret pass\n");

  const config = JSON.parse(readFileSync(join(etc, "config.json"), "utf8"));
  assert.equal(config.xmpp.jid, "pi-42@example.org");
  assert.deepEqual(config.operators, ["alice@example.org", "*@ops.example.org"]);
  assert.equal(config.xmpp.passwordFile, undefined, "the password comes from LoadCredential only");
  assert.equal(config.xmpp.service, undefined, "not the example's server");

  // What the agent sees under the unit: this config plus $CREDENTIALS_DIRECTORY/xmpp-password, one source
  const credentials = mkdtempSync(join(tmpdir(), "credentials-"));
  writeFileSync(join(credentials, "xmpp-password"), readFileSync(join(etc, "password")));
  const check = spawnSync(process.execPath, [join(root, "usr/lib/xmpp-device-agent/dist/cli.js"), "check-config"], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, AGENT_CONFIG: join(etc, "config.json"), CREDENTIALS_DIRECTORY: credentials },
  });
  assert.equal(check.status, 0, check.stderr);
  assert.ok(!check.stdout.includes("s3cret"));
});

test("running install.sh again upgrades the program and keeps the operator's config and password", () => {
  const root = scratchRoot();
  assert.equal(install(root, ["--jid", "pi-42@example.org"]).status, 0);
  assert.equal(install(root, ["--password-file", "-"], "hunter2\n").status, 0);
  const etc = join(root, "etc/xmpp-device-agent");
  writeFileSync(join(etc, "config.json"), '{ "xmpp": { "jid": "edited@example.org" } }\n');
  writeFileSync(join(root, "usr/lib/xmpp-device-agent/dist/stale.js"), "");

  const again = install(root, ["--jid", "other@example.org"]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /kept the existing .*config\.json/);
  assert.equal(readFileSync(join(etc, "config.json"), "utf8"), '{ "xmpp": { "jid": "edited@example.org" } }\n');
  assert.equal(readFileSync(join(etc, "password"), "utf8"), "hunter2\n");
  assert.equal(`${mode(join(etc, "config.json"))} ${owner(join(etc, "config.json"))}`, `640 0:${groupId(root)}`);
  assert.equal(mode(join(etc, "password")), "600");
  assert.ok(!existsSync(join(root, "usr/lib/xmpp-device-agent/dist/stale.js")), "the program is replaced, not merged");
  assert.equal(readFileSync(join(root, "etc/passwd"), "utf8").match(/^xmpp-device-agent:/gm)?.length, 1);
});

test("an invalid JID is refused before anything is installed, naming the key", () => {
  const root = scratchRoot();
  const run = install(root, ["--jid", "not a jid"]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /xmpp\.jid: .*value was "not a jid"/);
  assert.ok(!existsSync(join(root, "usr/lib/xmpp-device-agent")));
  assert.ok(!existsSync(join(root, "etc/xmpp-device-agent")));
});

test("no password given: an empty credential file, so the unit starts and the agent says what is missing", () => {
  const root = scratchRoot();
  const run = install(root, ["--jid", "pi-42@example.org"]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /no password yet/);
  assert.equal(readFileSync(join(root, "etc/xmpp-device-agent/password"), "utf8"), "");
  const credentials = mkdtempSync(join(tmpdir(), "credentials-"));
  writeFileSync(join(credentials, "xmpp-password"), "");
  const agent = spawnSync(process.execPath, [join(root, "usr/lib/xmpp-device-agent/dist/cli.js"), "run"], {
    encoding: "utf8",
    timeout: 10_000,
    env: { PATH: process.env.PATH, AGENT_CONFIG: join(root, "etc/xmpp-device-agent/config.json"), CREDENTIALS_DIRECTORY: credentials },
  });
  assert.equal(agent.status, 78, "78: invalid configuration, which the unit does not restart");
  assert.match(agent.stderr, /xmpp-password is empty/);
});

test("--node PATH runs the unit with that node through a drop-in", () => {
  const root = scratchRoot();
  assert.equal(install(root, ["--node", "/usr/local/bin/node"]).status, 0);
  const dropIn = readFileSync(join(root, "etc/systemd/system/xmpp-device-agent.service.d/node.conf"), "utf8");
  assert.match(dropIn, /^ExecStart=\nExecStart=\/usr\/local\/bin\/node --jitless --no-expose-wasm \/usr\/lib\/xmpp-device-agent\/dist\/cli\.js run$/m);
  assert.equal(install(root, []).status, 0);
  assert.ok(!existsSync(join(root, "etc/systemd/system/xmpp-device-agent.service.d")), "back to /usr/bin/node: drop-in gone");
});

test("--uninstall removes the program and keeps the configuration; --purge removes that too", () => {
  const root = scratchRoot();
  assert.equal(install(root, ["--jid", "pi-42@example.org", "--password-file", "-"], "hunter2\n").status, 0);
  const removed = install(root, ["--uninstall"]);
  assert.equal(removed.status, 0, removed.stderr);
  for (const gone of ["usr/lib/xmpp-device-agent", "etc/systemd/system/xmpp-device-agent.service", "usr/local/bin/xmpp-device-agent", "usr/lib/sysusers.d/xmpp-device-agent.conf"]) {
    assert.ok(!existsSync(join(root, gone)) && !isSymlink(join(root, gone)), `${gone} is left`);
  }
  assert.ok(!isSymlink(join(root, "etc/systemd/system/multi-user.target.wants/xmpp-device-agent.service")), "still enabled");
  assert.equal(readFileSync(join(root, "etc/xmpp-device-agent/password"), "utf8"), "hunter2\n");
  assert.ok(existsSync(join(root, "etc/xmpp-device-agent/config.json")));

  const purged = install(root, ["--uninstall", "--purge"]);
  assert.equal(purged.status, 0, purged.stderr);
  assert.ok(!existsSync(join(root, "etc/xmpp-device-agent")));
  assert.doesNotMatch(readFileSync(join(root, "etc/passwd"), "utf8"), /^xmpp-device-agent:/m, "--purge removes the system user");
});

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
