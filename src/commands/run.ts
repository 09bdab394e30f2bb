// `run`: the agent until SIGTERM/SIGINT (exit 0) or a login that retrying cannot fix (exit 77/78).
import { readPassword, type AgentConfig } from "../config/load.js";
import { createLogger } from "../log.js";
import { startAgent } from "../agent.js";
import { EXIT } from "../exit-codes.js";
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

  // Listen for signals before starting: a SIGTERM during start-up still gets a clean stop
  let signalled: (signal: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  for (const name of ["SIGTERM", "SIGINT"] as const) process.once(name, () => signalled(name));

  const agent = await startAgent({ config, password, log, version });
  // READY now, not at the first login: an unreachable server must not fail `systemctl start` or hold boot;
  // the agent is doing its job (sampling, retrying) from here on (docs/operators.md)
  const ready = systemd.ready(config.xmpp.jid ? `started; logging in as ${config.xmpp.jid}` : "started; no xmpp.jid: sampling only");
  systemd.startWatchdog(() => unitStatus(agent.health()));

  const stopped = signal.then(async (name) => {
    log.info({ signal: name }, "stopping");
    systemd.stop();
    void systemd.stopping(`stopping: ${name}`);
    await agent.stop(name).catch(() => undefined);
    return EXIT.ok;
  });
  // A refusal can come back from a server on loopback before systemd has read READY=1: exiting first would fail
  // `systemctl start` for some refusals and not others (test:systemd caught it once the bundle started faster)
  const fatal = agent.fatal.then(async (code) => {
    await ready;
    return code;
  });
  return Promise.race([stopped, fatal.finally(() => systemd.stop())]);
}
