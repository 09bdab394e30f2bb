// `check-config`: loading already validated; show the effective config with secrets redacted.
import { readPassword, type AgentConfig } from "../config/load.js";
import { redactConfig } from "../config/redact.js";
import { EXIT } from "../exit-codes.js";
import { noAccountText } from "./no-account.js";

export function checkConfig(config: AgentConfig, configFile?: string): number {
  // A password file that cannot be read is a config error worth knowing now, not at the first login
  if (config.xmpp.jid !== "") readPassword(config);
  process.stdout.write(`${JSON.stringify(redactConfig(config), null, 2)}\n`);
  if (config.xmpp.jid === "") process.stderr.write(`${noAccountText(configFile)}\n`);
  process.stderr.write("configuration is valid\n");
  return EXIT.ok;
}
