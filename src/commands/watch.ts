// `watch`: the fleet watch until SIGTERM/SIGINT (exit 0) or a login that retrying cannot fix (exit 77/78).
import { ConfigError, readPassword, type AgentConfig } from "../config/load.js";
import { createLogger } from "../log.js";
import { startWatch } from "../watch/index.js";
import { serveUntilStopped, stopSignal } from "./serve.js";
import { systemdNotifier } from "../systemd/notify.js";

export async function watch(config: AgentConfig): Promise<number> {
  if (!config.xmpp.jid) throw new ConfigError("xmpp.jid: the watcher needs an account of its own (XMPP_JID)");
  if (config.watch.devices.length === 0) throw new ConfigError("watch.devices: no devices to watch (WATCH_DEVICES)");
  const log = createLogger(config.log.level);
  const password = readPassword(config);
  const systemd = systemdNotifier({ log: log.child({ capability: "systemd" }) });

  const signal = stopSignal();
  const running = await startWatch({ config, password, log });
  return serveUntilStopped(
    { served: running, signal, systemd, log },
    { readyStatus: `watching ${config.watch.devices.length} devices as ${config.xmpp.jid}`, watchdogStatus: () => `watching ${config.watch.devices.length} devices` },
  );
}
