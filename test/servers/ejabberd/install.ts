// ejabberd comes from the Debian package (23.01 in Debian 12), installed like Prosody: as root, with apt-get,
// without letting the package start its system-wide server (see aptInstall).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { aptInstall, findExecutable, isRoot } from "../throwaway/install.js";
import { EJABBERDCTL } from "./erlang-node.js";

const INSTALL = "apt-get update && apt-get install -y ejabberd";

export function ejabberdInstalled(): boolean {
  return existsSync(EJABBERDCTL) && findExecutable("erl") !== null;
}

export function ejabberdMissing(): Error {
  return new Error(`ejabberd is not installed (no ${EJABBERDCTL} and \`erl\`). On Debian/Ubuntu: sudo sh -c '${INSTALL}'`);
}

/** When ejabberd is missing: installs it with apt-get as root, otherwise says the command to run. */
export async function ensureEjabberdInstalled(log: (line: string) => void = () => {}): Promise<void> {
  if (ejabberdInstalled()) return;
  if (!isRoot() || !findExecutable("apt-get")) throw ejabberdMissing();
  const erlangWasThere = await packageInstalled("erlang-base");
  log(`ejabberd is not installed; running: ${INSTALL}`);
  await aptInstall(["ejabberd"], log);
  // The packages enable ejabberd.service (5222, 5269, 5280 on every interface) and, with erlang-base,
  // epmd.service and epmd.socket (4369, every interface) for the next boot; policy-rc.d only kept them from
  // starting now. epmd is left alone if Erlang was there before us (RabbitMQ, CouchDB may need it).
  const units = ["ejabberd.service", ...(erlangWasThere ? [] : ["epmd.service", "epmd.socket"])];
  if (findExecutable("systemctl")) {
    await promisify(execFile)("systemctl", ["disable", ...units], { timeout: 30_000 }).catch(() => undefined);
    log(`ejabberd installed; not started, and ${units.join(" and ")} disabled at boot (\`systemctl enable\` undoes it).`);
  }
}

async function packageInstalled(name: string): Promise<boolean> {
  const query = promisify(execFile)("dpkg-query", ["-W", "-f", "${Status}", name], { timeout: 10_000 });
  return query.then(({ stdout }) => stdout.includes("install ok installed"), () => false);
}
