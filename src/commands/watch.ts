// `watch`: the fleet watch until SIGTERM/SIGINT (exit 0) or a login that retrying cannot fix (exit 77/78).
import { ConfigError, readPassword, type AgentConfig } from "../config/load.js";
import { createLogger } from "../log.js";
import { startWatch } from "../watch/index.js";
import { EXIT } from "../exit-codes.js";
import { systemdNotifier } from "../systemd/notify.js";

export async function watch(config: AgentConfig): Promise<number> {
  if (!config.xmpp.jid) throw new ConfigError("xmpp.jid: the watcher needs an account of its own (XMPP_JID)");
  if (config.watch.devices.length === 0) throw new ConfigError("watch.devices: no devices to watch (WATCH_DEVICES)");
  const log = createLogger(config.log.level);
  const password = readPassword(config);
  const systemd = systemdNotifier({ log: log.child({ capability: "systemd" }) });

  let signalled: (signal: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  for (const name of ["SIGTERM", "SIGINT"] as const) process.once(name, () => signalled(name));

  const running = await startWatch({ config, password, log });
  const ready = systemd.ready(`watching ${config.watch.devices.length} devices as ${config.xmpp.jid}`);
  systemd.startWatchdog(() => `watching ${config.watch.devices.length} devices`);

  const stopped = signal.then(async (name) => {
    log.info({ signal: name }, "stopping");
    systemd.stop();
    void systemd.stopping(`stopping: ${name}`);
    await running.stop(name).catch(() => undefined);
    return EXIT.ok;
  });
  // READY=1 read by systemd before a refusal exits, as in run.ts
  const fatal = running.fatal.then(async (code) => {
    await ready;
    return code;
  });
  return Promise.race([stopped, fatal.finally(() => systemd.stop())]);
}
