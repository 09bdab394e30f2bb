// Host tools the systemd, install and packaging tests run (systemd-analyze, systemd-notify, dpkg-deb,
// lintian, python3). test/support/preflight.ts installs them before the tests (as root on Debian, as CI
// runs); a test that still finds one missing fails and names the package.
import { spawnSync } from "node:child_process";

export function hasCommand(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

export function requireCommand(command: string, debianPackage: string): void {
  if (!hasCommand(command)) throw new Error(`this test needs \`${command}\`: install it with \`apt-get install ${debianPackage}\``);
}
