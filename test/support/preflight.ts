// Before the tests: what they need from Debian (Prosody as the server, slixmpp as the independent peer,
// openssl for the STARTTLS certificate, systemd-analyze and systemd-notify for the unit, lintian for the
// .deb, systemd-nspawn and debootstrap for test:systemd's containers, dnsmasq for the SRV tests' DNS server,
// unshare from util-linux for their mount namespace). As root it installs what is missing; otherwise it names
// the command.
import { existsSync } from "node:fs";
import { aptInstall, findExecutable, isRoot } from "../servers/throwaway/install.js";

const has = (...commands: string[]) => () => commands.every((c) => findExecutable(c) !== null);
const needed = [
  { pkg: "prosody", present: has("prosody", "prosodyctl") },
  { pkg: "python3-slixmpp", present: () => existsSync("/usr/lib/python3/dist-packages/slixmpp/__init__.py") },
  { pkg: "openssl", present: has("openssl") },
  { pkg: "systemd", present: has("systemd-analyze", "systemd-notify") },
  { pkg: "lintian", present: has("lintian") },
  { pkg: "dnsmasq-base", present: has("dnsmasq") },
  { pkg: "util-linux", present: has("unshare", "mount") },
  { pkg: "systemd-container", present: has("systemd-nspawn") },
  { pkg: "debootstrap", present: has("debootstrap") },
];

const missing = needed.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length > 0) {
  if (!isRoot() || !findExecutable("apt-get")) {
    process.stderr.write(`The tests need Debian packages that are missing: ${missing.join(" ")}\nInstall them: sudo apt-get install -y ${missing.join(" ")}\n`);
    process.exit(1);
  }
  process.stderr.write(`installing what the tests need: ${missing.join(" ")}\n`);
  await aptInstall(missing, (line) => process.stderr.write(`  ${line}\n`));
}
