// Before the tests: what they need from Debian (Prosody as the server, slixmpp as the independent peer,
// openssl for the STARTTLS certificate). As root it installs what is missing; otherwise it names the command.
import { existsSync } from "node:fs";
import { aptInstall, findExecutable, isRoot } from "../../src/prosody/install.js";

const needed = [
  { pkg: "prosody", present: () => findExecutable("prosody") !== null && findExecutable("prosodyctl") !== null },
  { pkg: "python3-slixmpp", present: () => existsSync("/usr/lib/python3/dist-packages/slixmpp/__init__.py") },
  { pkg: "openssl", present: () => findExecutable("openssl") !== null },
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
