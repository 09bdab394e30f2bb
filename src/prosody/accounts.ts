// Accounts on the throwaway server, through `prosodyctl`: it writes the same data dir the running server reads.
import { execFile } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export interface Accounts {
  /** Creates (or resets) the account; resolves with its bare JID. */
  register(user: string, password: string): Promise<string>;
  /** Deletes the account; sessions already logged in stay until they end. */
  unregister(user: string): Promise<void>;
}

export function prosodyAccounts({ configFile, domain }: { configFile: string; domain: string }): Accounts {
  return {
    async register(user, password) {
      checkUser(user);
      listForLogScan(user, domain, password);
      await prosodyctl(configFile, ["register", user, domain, password], `register ${user} ${domain} ***`);
      return `${user}@${domain}`;
    },
    async unregister(user) {
      checkUser(user);
      await prosodyctl(configFile, ["unregister", user, domain], `unregister ${user} ${domain}`);
    },
  };
}

function checkUser(user: string): void {
  if (!/^[a-z0-9._-]+$/.test(user)) {
    throw new Error(`user ${JSON.stringify(user)}: expected a plain local part, lower case (a-z 0-9 . _ -)`);
  }
}

/**
 * The test suite's secrets scan (test/faults/secrets.test.ts) looks for every password registered here in every
 * log line the tests captured; `npm test` sets AGENT_TEST_CAPTURE_DIR, nothing else does.
 */
function listForLogScan(user: string, domain: string, password: string): void {
  const dir = process.env.AGENT_TEST_CAPTURE_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, "secrets.txt"), `${JSON.stringify({ user, domain, password })}\n`, { mode: 0o600 });
}

/** Runs prosodyctl with no stdin, so a missing password fails instead of waiting for a prompt. */
function prosodyctl(configFile: string, args: string[], shown: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile("prosodyctl", ["--config", configFile, ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      if (!error) return resolve();
      const output = `${stdout}${stderr}`.trim().split("\n").slice(-5).join("\n");
      reject(new Error(`\`prosodyctl ${shown}\` failed (${error.code ?? error.signal}):\n${output}`));
    });
    child.stdin?.end();
  });
}
