// Accounts on the throwaway server, through `prosodyctl`: it writes the same data dir the running server reads.
import { runControlCommand, serverAccounts, type Accounts } from "../throwaway/accounts.js";

export function prosodyAccounts({ configFile, domain }: { configFile: string; domain: string }): Accounts {
  const prosodyctl = (args: string[], shown: string) =>
    runControlCommand({ command: "prosodyctl", args: ["--config", configFile, ...args] }, `prosodyctl ${shown}`);
  return serverAccounts(domain, {
    async register(user, password) {
      await prosodyctl(["register", user, domain, password], `register ${user} ${domain} ***`);
    },
    async unregister(user) {
      await prosodyctl(["unregister", user, domain], `unregister ${user} ${domain}`);
    },
  });
}
