// Accounts on a throwaway server, through the server's own control command; each harness says which commands
// create and remove one, this module does what is the same: the user name check, the list for the log scan, and
// running the command.
import { execFile } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "./command.js";

export interface Accounts {
  /** Creates (or resets) the account; resolves with its bare JID. */
  register(user: string, password: string): Promise<string>;
  /** Deletes the account; sessions already logged in stay until they end (Prosody; ejabberd closes them). */
  unregister(user: string): Promise<void>;
}

export interface AccountCommands {
  /** Creates the account, or gives an existing one this password. */
  register(user: string, password: string): Promise<void>;
  unregister(user: string): Promise<void>;
}

export function serverAccounts(domain: string, commands: AccountCommands): Accounts {
  return {
    async register(user, password) {
      checkUser(user);
      listForLogScan(user, domain, password);
      await commands.register(user, password);
      return `${user}@${domain}`;
    },
    async unregister(user) {
      checkUser(user);
      await commands.unregister(user);
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

/**
 * Runs one control command with no stdin, so a missing password fails instead of waiting for a prompt; resolves
 * with its stdout. `shown` is the command as an error may print it (no password).
 */
export function runControlCommand({ command, args, env, cwd }: Command, shown: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { env, cwd, timeout: 15_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const output = `${stdout}${stderr}`.trim().split("\n").slice(-5).join("\n");
      reject(new Error(`\`${shown}\` failed (${error.code ?? error.signal}):\n${output}`));
    });
    child.stdin?.end();
  });
}
