// What `run` and `watch` share once started: systemd told READY=1 and pinged, then until SIGTERM/SIGINT (a clean
// stop, exit 0) or a login that retrying cannot fix (its exit code, 77/78).
import type { Logger } from "../log.js";
import { EXIT } from "../exit-codes.js";
import type { Notifier } from "../systemd/notify.js";

/** Listened for before starting: a SIGTERM during start-up still gets a clean stop. */
export function stopSignal(): Promise<NodeJS.Signals> {
  let signalled: (signal: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  for (const name of ["SIGTERM", "SIGINT"] as const) process.once(name, () => signalled(name));
  return signal;
}

export interface Served {
  stop(reason: string): Promise<void>;
  fatal: Promise<number>;
}

export function serveUntilStopped(
  { served, signal, systemd, log }: { served: Served; signal: Promise<NodeJS.Signals>; systemd: Notifier; log: Logger },
  { readyStatus, watchdogStatus }: { readyStatus: string; watchdogStatus: () => string },
): Promise<number> {
  const ready = systemd.ready(readyStatus);
  systemd.startWatchdog(watchdogStatus);
  const stopped = signal.then(async (name) => {
    log.info({ signal: name }, "stopping");
    systemd.stop();
    void systemd.stopping(`stopping: ${name}`);
    await served.stop(name).catch(() => undefined);
    return EXIT.ok;
  });
  // A refusal can come back from a server on loopback before systemd has read READY=1: exiting first would fail
  // `systemctl start` for some refusals and not others (test:systemd caught it once the bundle started faster)
  const fatal = served.fatal.then(async (code) => {
    await ready;
    return code;
  });
  return Promise.race([stopped, fatal.finally(() => systemd.stop())]);
}
