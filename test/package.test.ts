// `npm run package`: the release tarball and the .deb, checked as a Pi would receive them, and the .deb
// installed, upgraded, removed and purged with the real dpkg in a scratch root. dpkg --root chroots into the
// root for maintainer scripts, which needs a whole Debian there; --force-script-chrootless runs them on this
// host with DPKG_ROOT set instead (dpkg(1)), which our scripts, deb-systemd-helper and systemd-sysusers honour.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireCommand } from "./support/host-tools.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const OUT = mkdtempSync(join(tmpdir(), "package-"));
const TARBALL = join(OUT, `xmpp-device-agent-${VERSION}.tar.gz`);
const DEB = join(OUT, `xmpp-device-agent_${VERSION}_all.deb`);
/** What a Pi on a slow link downloads; today about 0.1 MB. Dev dependencies alone would be 20 MB. */
const MAX_BYTES = 2 * 1024 * 1024;

before(() => {
  assert.equal(process.getuid?.(), 0, "dpkg --root and the maintainer scripts need root: run npm test as root, as CI does");
  requireCommand("dpkg-deb", "dpkg");
  requireCommand("lintian", "lintian");
  requireCommand("systemd-sysusers", "systemd");
  requireCommand("deb-systemd-helper", "init-system-helpers");
  // Needs `npm run build` (which `npm test` runs); `npm run package` is build + this script
  execFileSync("bash", [join(REPO, "systemd/package.sh"), "--out", OUT], { stdio: ["ignore", "ignore", "inherit"] });
});

test("the release tarball holds the agent bundled into one file, the unit, install.sh, config and docs", () => {
  const entries = execFileSync("tar", ["-tzvf", TARBALL], { encoding: "utf8", maxBuffer: 16 << 20 }).trim().split("\n");
  const names = entries.map((line) => line.split(/\s+/).slice(5).join(" ").replace(/ -> .*$/, ""));
  const top = `xmpp-device-agent-${VERSION}/`;
  for (const file of ["install.sh", "dist/cli.js", "dist/third-party-notices.txt", "package.json", "xmpp-device-agent.service", "xmpp-device-agent-watch.service", "config/example.json", "README.md", "docs/operators.md"]) {
    assert.ok(names.includes(top + file), `${file} is missing`);
  }
  assert.ok(names.every((n) => n.startsWith(top)), "one top directory");
  assert.ok(!names.some((n) => n.includes("/node_modules/")), "every dependency is inside dist/cli.js");
  assert.ok(!names.some((n) => /\.(map|node)$/.test(n)), "no source maps, no native addons");
  assert.ok(entries.every((line) => line.split(/\s+/)[1] === "0/0"), "owned by root, whoever built it");
  assert.ok(entries.some((line) => line.startsWith("-rwxr-xr-x") && line.endsWith(`${top}install.sh`)));
  assert.ok(statSync(TARBALL).size < MAX_BYTES, `${statSync(TARBALL).size} bytes`);
});

test("the agent from the tarball runs from its one bundled file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "unpacked-"));
  execFileSync("tar", ["-xzf", TARBALL, "-C", dir]);
  const app = join(dir, `xmpp-device-agent-${VERSION}`);
  writeFileSync(join(dir, "config.json"), JSON.stringify({ sampling: { intervalSeconds: 0.5 }, log: { level: "debug" } }));
  const env = { PATH: process.env.PATH, AGENT_CONFIG: join(dir, "config.json") };
  const status = spawnSync(process.execPath, [join(app, "dist/cli.js"), "status"], { encoding: "utf8", env });
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /overall: /);
  // `run` loads every module the agent has (the XMPP client too); without a JID it samples and logs
  const agent = spawn(process.execPath, [join(app, "dist/cli.js"), "run"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  agent.stderr.on("data", (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no second sample within 10 s:\n${out}${err}`)), 10_000);
    agent.stdout.on("data", (d) => {
      out += d;
      // The second sample comes from the loop, so the agent is fully started and handles SIGTERM
      if ((out.match(/"msg":"sample"/g) ?? []).length >= 2) resolve(void clearTimeout(timer));
    });
  });
  agent.kill("SIGTERM");
  const [code] = (await once(agent, "exit")) as [number | null];
  assert.equal(code, 0, err);
  assert.match(out, /"msg":"stopping"/);
});

test("the .deb is for every architecture, needs Node 20 and passes lintian without errors or warnings", () => {
  const field = (name: string) => execFileSync("dpkg-deb", ["-f", DEB, name], { encoding: "utf8" }).trim();
  assert.equal(field("Package"), "xmpp-device-agent");
  assert.equal(field("Version"), VERSION);
  assert.equal(field("Architecture"), "all");
  assert.match(field("Depends"), /(^|, )nodejs \(>= 20\)/);
  assert.ok(statSync(DEB).size < MAX_BYTES, `${statSync(DEB).size} bytes`);
  const lint = spawnSync("lintian", ["--tag-display-limit", "0", DEB], { encoding: "utf8" });
  const problems = lint.stdout.split("\n").filter((line) => /^[EW]: /.test(line));
  assert.deepEqual(problems, [], "docs/operators.md lists the informational tags we accept");
});

/** What only a developer's checkout may hold: test servers (they run apt-get and write /usr/sbin/policy-rc.d), the
 * demo, test fixtures and helpers, benchmarks, and the benchmark-only node-os-utils. */
const DEV_ONLY = /(^|\/)(test|tools|bench|throwaway|prosody|ejabberd|demo)(\/|$)|node_modules\/node-os-utils\/|[./]test[.-]|(^|\/)test-[^/]*$/;

test("neither the .deb nor the tarball holds a dev-only module: test servers, the demo, test helpers, benchmarks", () => {
  const debFiles = execFileSync("dpkg-deb", ["--fsys-tarfile", DEB], { maxBuffer: 64 << 20 });
  const inDeb = execFileSync("tar", ["-t"], { input: debFiles, encoding: "utf8", maxBuffer: 16 << 20 }).trim().split("\n");
  const inTarball = execFileSync("tar", ["-tzf", TARBALL], { encoding: "utf8", maxBuffer: 16 << 20 }).trim().split("\n");
  // Our own files: everything but the dependencies, whose own folder names are not ours to choose
  const ours = (names: string[]) => names.filter((n) => !n.includes("/node_modules/") || n.includes("node_modules/node-os-utils"));
  assert.ok(inDeb.some((n) => n.endsWith("usr/lib/xmpp-device-agent/dist/cli.js")), "the listing sees the agent");
  assert.deepEqual(ours(inDeb).filter((n) => DEV_ONLY.test(n.replace(/^\.\//, ""))), [], "dev-only files in the .deb");
  assert.deepEqual(ours(inTarball).filter((n) => DEV_ONLY.test(n.replace(/^xmpp-device-agent-[^/]+\//, ""))), [], "dev-only files in the tarball");
  assert.ok(!inDeb.some((n) => n.includes("node_modules/node-os-utils")), "node-os-utils is a dev dependency");
});

test("nothing from test/, tools/ or bench/ is bundled into the shipped dist/cli.js", () => {
  // The bundle's source map names every file esbuild put into it
  const { sources } = JSON.parse(readFileSync(join(REPO, "dist/cli.js.map"), "utf8")) as { sources: string[] };
  assert.ok(sources.some((s) => s.endsWith("src/agent.ts")), "the map lists the agent's own sources");
  assert.deepEqual(sources.filter((s) => /(^|\/)(test|tools|bench)\//.test(s.replace(/^(\.\.\/)+/, "")) && !s.includes("node_modules/")), []);
});

function dpkg(root: string, ...args: string[]) {
  const run = spawnSync("dpkg", [`--root=${root}`, "--force-script-chrootless", "--force-depends", ...args], { encoding: "utf8" });
  assert.equal(run.status, 0, `dpkg ${args.join(" ")}:\n${run.stdout}${run.stderr}`);
  return run;
}

function emptyDebianRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "dpkg-root-"));
  for (const dir of ["var/lib/dpkg/info", "var/lib/dpkg/updates", "etc"]) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, "var/lib/dpkg/status"), "");
  return root;
}

const present = (path: string) => existsSync(path) || isSymlink(path);
function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

test("the .deb installs, upgrades, removes and purges cleanly in a scratch root", () => {
  const root = emptyDebianRoot();
  const etc = join(root, "etc/xmpp-device-agent");
  const wants = join(root, "etc/systemd/system/multi-user.target.wants/xmpp-device-agent.service");

  dpkg(root, "--install", DEB);
  assert.ok(existsSync(join(root, "usr/lib/xmpp-device-agent/dist/cli.js")));
  assert.ok(existsSync(join(root, "lib/systemd/system/xmpp-device-agent.service")));
  assert.ok(existsSync(join(root, "lib/systemd/system/xmpp-device-agent-watch.service")), "the fleet watch's unit, shipped");
  assert.equal(readlinkSync(wants), "/lib/systemd/system/xmpp-device-agent.service");
  const gid = /^xmpp-device-agent:x:(\d+):/m.exec(readFileSync(join(root, "etc/group"), "utf8"))?.[1];
  assert.ok(gid, "postinst created the group");
  const perms = (path: string) => `${(statSync(path).mode & 0o7777).toString(8)} ${statSync(path).uid}:${statSync(path).gid}`;
  assert.equal(perms(etc), `750 0:${gid}`);
  assert.equal(perms(join(etc, "config.json")), `640 0:${gid}`);
  assert.equal(perms(join(etc, "password")), "600 0:0");
  assert.equal(JSON.parse(readFileSync(join(etc, "config.json"), "utf8")).xmpp.jid, "", "no JID until the operator sets one");

  // The operator configures the device; an upgrade must keep it
  writeFileSync(join(etc, "config.json"), '{ "xmpp": { "jid": "pi-42@example.org" } }\n');
  writeFileSync(join(etc, "password"), "hunter2\n");
  const next = join(OUT, "next");
  execFileSync("dpkg-deb", ["-R", DEB, next]);
  const control = join(next, "DEBIAN/control");
  writeFileSync(control, readFileSync(control, "utf8").replace(/^Version: .*$/m, `Version: ${VERSION}+1`));
  execFileSync("dpkg-deb", ["--root-owner-group", "--build", next, join(OUT, "next.deb")], { stdio: "ignore" });
  dpkg(root, "--install", join(OUT, "next.deb"));
  assert.match(execFileSync("dpkg-query", [`--admindir=${root}/var/lib/dpkg`, "-W", "xmpp-device-agent"], { encoding: "utf8" }), /\+1$/m);
  assert.equal(readFileSync(join(etc, "config.json"), "utf8"), '{ "xmpp": { "jid": "pi-42@example.org" } }\n');
  assert.equal(readFileSync(join(etc, "password"), "utf8"), "hunter2\n");
  assert.equal(readFileSync(join(root, "etc/passwd"), "utf8").match(/^xmpp-device-agent:/gm)?.length, 1);

  dpkg(root, "--remove", "xmpp-device-agent");
  assert.ok(!present(join(root, "usr/lib/xmpp-device-agent")));
  assert.ok(!present(join(root, "lib/systemd/system/xmpp-device-agent.service")));
  assert.equal(readlinkSync(join(root, "etc/systemd/system/xmpp-device-agent.service")), "/dev/null", "masked until purged or reinstalled");
  assert.equal(readFileSync(join(etc, "password"), "utf8"), "hunter2\n", "remove keeps the configuration");

  dpkg(root, "--purge", "xmpp-device-agent");
  assert.ok(!present(etc), "purge removes configuration and password");
  assert.ok(!present(wants), "purge removes the enablement");
  assert.ok(!present(join(root, "etc/systemd/system/xmpp-device-agent.service")), "purge removes the mask");
  assert.doesNotMatch(readFileSync(join(root, "etc/passwd"), "utf8"), /^xmpp-device-agent:/m, "purge removes the system user");
  assert.doesNotMatch(readFileSync(join(root, "etc/group"), "utf8"), /^xmpp-device-agent:/m, "and its group");
});
