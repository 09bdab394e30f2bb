// The host side of the throwaway servers: finding commands, and installing Debian packages as root without
// letting them start their services. Each server's install.ts names its packages.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";

// A Debian server package would also start its own system-wide server (Prosody: 5222/5269 on every interface);
// a policy-rc.d that says "no" (exit 101) for the length of the install keeps it from starting.
const POLICY_RC_D = "/usr/sbin/policy-rc.d";

/** The full path of a command on PATH, or null. */
export function findExecutable(name: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(delimiter)) {
    const candidate = join(dir || ".", name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** apt-get install, as root, without letting the packages start their services. */
export async function aptInstall(packages: string[], log: (line: string) => void): Promise<void> {
  const addPolicy = !existsSync(POLICY_RC_D);
  if (addPolicy) writeFileSync(POLICY_RC_D, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    await run("apt-get", ["update"], log);
    await run("apt-get", ["install", "-y", "--no-install-recommends", ...packages], log);
  } finally {
    if (addPolicy) rmSync(POLICY_RC_D, { force: true });
  }
}

function run(command: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    const forward = (chunk: Buffer) => chunk.toString().split("\n").filter(Boolean).forEach((line) => log(line));
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`\`${command} ${args.join(" ")}\` failed with exit code ${code}`)),
    );
  });
}
