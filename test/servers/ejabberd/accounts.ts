// Accounts on the throwaway ejabberd, through ejabberdctl's `register` / `unregister` (run by a control node,
// see erlang-node.ts). Unlike prosodyctl, `register` refuses an existing account ("conflict"), so resetting
// one is `change_password` (mod_admin_extra). Unlike Prosody's, `unregister` also closes the account's sessions.
import { runControlCommand, serverAccounts, type Accounts } from "../throwaway/accounts.js";
import { ctlCommand, type ErlangNode } from "./erlang-node.js";

export function ejabberdAccounts({ node, domain }: { node: ErlangNode; domain: string }): Accounts {
  return serverAccounts(domain, {
    async register(user, password) {
      const created = await ejabberdctl(node, ["register", user, domain, password], `register ${user} ${domain} ***`).then(
        () => true,
        (error: Error) => {
          if (error.message.includes("conflict")) return false;
          throw error;
        },
      );
      if (!created) await ejabberdctl(node, ["change_password", user, domain, password], `change_password ${user} ${domain} ***`);
    },
    async unregister(user) {
      await ejabberdctl(node, ["unregister", user, domain], `unregister ${user} ${domain}`);
    },
  });
}

/** Runs one ejabberdctl command; `shown` is the command as an error may print it (no password). */
export function ejabberdctl(node: ErlangNode, args: string[], shown = args.join(" ")): Promise<string> {
  return runControlCommand(ctlCommand(node, args), `ejabberdctl ${shown}`);
}
