// Accounts on the throwaway ejabberd, through ejabberdctl's `register` / `unregister` (run by a control node,
// see erlang-node.ts). Unlike prosodyctl, `register` refuses an existing account ("conflict"), so resetting
// one is `change_password` (mod_admin_extra). Unlike Prosody's, `unregister` also closes the account's sessions.
import { execFile } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Accounts } from "../prosody/accounts.js";
import { ctlCommand, type ErlangNode } from "./erlang-node.js";

export function ejabberdAccounts({ node, domain }: { node: ErlangNode; domain: string }): Accounts {
  return {
    async register(user, password) {
      checkUser(user);
      listForLogScan(user, domain, password);
      const shown = `register ${user} ${domain} ***`;
      const created = await ejabberdctl(node, ["register", user, domain, password], shown).then(
        () => true,
        (error: Error) => {
          if (error.message.includes("conflict")) return false;
          throw error;
        },
      );
      if (!created) await ejabberdctl(node, ["change_password", user, domain, password], `change_password ${user} ${domain} ***`);
      return `${user}@${domain}`;
    },
    async unregister(user) {
      checkUser(user);
      await ejabberdctl(node, ["unregister", user, domain], `unregister ${user} ${domain}`);
    },
  };
}

function checkUser(user: string): void {
  if (!/^[a-z0-9._-]+$/.test(user)) {
    throw new Error(`user ${JSON.stringify(user)}: expected a plain local part, lower case (a-z 0-9 . _ -)`);
  }
}

/** As src/prosody/accounts.ts does: test/faults/secrets.test.ts looks for every password registered in every
 * agent log line the tests captured, when test/run.sh sets AGENT_TEST_CAPTURE_DIR. */
function listForLogScan(user: string, domain: string, password: string): void {
  const dir = process.env.AGENT_TEST_CAPTURE_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, "secrets.txt"), `${JSON.stringify({ user, domain, password })}\n`, { mode: 0o600 });
}

/** Runs one ejabberdctl command with no stdin; `shown` is the command as an error may print it (no password). */
export function ejabberdctl(node: ErlangNode, args: string[], shown = args.join(" ")): Promise<string> {
  const { command, args: argv, env } = ctlCommand(node, args);
  return new Promise((resolve, reject) => {
    const child = execFile(command, argv, { env, cwd: node.dir, timeout: 15_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const output = `${stdout}${stderr}`.trim().split("\n").slice(-5).join("\n");
      reject(new Error(`\`ejabberdctl ${shown}\` failed (${error.code ?? error.signal}):\n${output}`));
    });
    child.stdin?.end();
  });
}
