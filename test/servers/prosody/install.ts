// Prosody comes from the Debian package (0.12 in Debian 12); the demo installs it when it may.
import { aptInstall, findExecutable, isRoot } from "../throwaway/install.js";

const INSTALL = "apt-get update && apt-get install -y prosody";

export function prosodyInstalled(): boolean {
  return findExecutable("prosody") !== null && findExecutable("prosodyctl") !== null;
}

export function prosodyMissing(): Error {
  return new Error(
    "Prosody is not installed (no `prosody` and `prosodyctl` on PATH). Install Prosody 0.12 or later, " +
      `on Debian/Ubuntu: sudo sh -c '${INSTALL}'`,
  );
}

/** When `prosody` is missing: installs it with apt-get as root, otherwise says the command to run. */
export async function ensureProsodyInstalled(log: (line: string) => void = () => {}): Promise<void> {
  if (prosodyInstalled()) return;
  if (!isRoot() || !findExecutable("apt-get")) throw prosodyMissing();
  log(`Prosody is not installed; running: ${INSTALL}`);
  await aptInstall(["prosody"], log);
  log("Prosody installed; its system service was not started (`systemctl disable prosody` keeps it off at boot too).");
}
