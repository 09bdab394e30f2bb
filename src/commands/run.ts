// `run`: the agent until SIGTERM/SIGINT (exit 0) or a login that retrying cannot fix (exit 77/78).
import { readPassword, type AgentConfig } from "../config/load.js";
import { createLogger } from "../log.js";
import { startAgent } from "../agent.js";
import { serveUntilStopped, stopSignal } from "./serve.js";
import { systemdNotifier } from "../systemd/notify.js";
import { unitStatus } from "../systemd/status.js";
import { noAccountText } from "./no-account.js";

export async function run(config: AgentConfig, { version, configFile }: { version: string; configFile?: string }): Promise<number> {
  const log = createLogger(config.log.level);
  // Plain words on a terminal, where a new user looks first; under systemd (no terminal) the same words go into the
  // JSON log, so the journal holds JSON lines only
  if (!config.xmpp.jid) {
    if (process.stderr.isTTY) process.stderr.write(`${noAccountText(configFile)}\n`);
    else log.warn({ hint: noAccountText(configFile) }, "no XMPP account is set");
  }
  const password = config.xmpp.jid ? readPassword(config) : null;
  const systemd = systemdNotifier({ log: log.child({ capability: "systemd" }) });

  const signal = stopSignal();

  const agent = await startAgent({ config, password, log, version });
  // READY now, not at the first login: an unreachable server must not fail `systemctl start` or hold boot;
  // the agent is doing its job (sampling, retrying) from here on (docs/operators.md)
  return serveUntilStopped(
    { served: agent, signal, systemd, log },
    { readyStatus: config.xmpp.jid ? `started; logging in as ${config.xmpp.jid}` : "started; no xmpp.jid: sampling only", watchdogStatus: () => unitStatus(agent.health()) },
  );
}
