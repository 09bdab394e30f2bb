// One sd_notify(3) message = one run of systemd-notify(1). Node's core has no AF_UNIX datagram socket (`dgram`
// is UDP only), so the choice was a native addon or this spawn. bench/notify.bench.ts (docs/benchmarks.md,
// AMD EPYC, Node 20): the spawn costs about 4 ms of CPU per message (3.8 and 4.1 in two runs, three quarters in
// the child) and 1 process, and needs nothing installed (systemd-notify ships with systemd); unix-dgram
// (native, zigbee2mqtt's choice) costs 0.0075 ms and no process, about the same ~1 MiB of RSS, but installs
// 0.7 MB and needs a C++ toolchain and a build per CPU architecture: no Architecture: all .deb, no single
// tarball for every Pi. sd-notify (libsystemd) also needs libsystemd-dev.
// At one ping per 30 s (WatchdogSec=60) the spawn is 2880 processes and ~12 s of CPU a day here.
// systemd-notify waits until PID 1 has read the message (sd_notify_barrier), so the child-exits-first race
// of `--no-block` does not apply; the unit needs NotifyAccess=all because the sender is our child.
import { execFile } from "node:child_process";

/** Sends `VAR=value` lines as one notification; rejects with what systemd-notify said. */
export type Send = (fields: string[]) => Promise<void>;

/** A settled message must not wait longer than this; systemd-notify's own barrier timeout is 5 s. */
const SEND_TIMEOUT_MS = 10_000;

export function systemdNotifyCommand(notifySocket: string, command = "systemd-notify"): Send {
  return (fields) =>
    new Promise((resolve, reject) => {
      const env = { ...process.env, NOTIFY_SOCKET: notifySocket };
      execFile(command, fields, { env, timeout: SEND_TIMEOUT_MS }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        const said = String(stderr).trim() || err.message;
        reject(new Error(`${command} ${fields.map((f) => f.split("=")[0]).join(" ")}: ${said}`));
      });
    });
}
