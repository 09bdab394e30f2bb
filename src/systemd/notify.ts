// sd_notify(3) for the Type=notify unit (systemd/xmpp-device-agent.service): READY=1 once the agent runs
// its loop, WATCHDOG=1 at half of WatchdogSec, STATUS= lines, STOPPING=1 on shutdown.
// https://www.freedesktop.org/software/systemd/man/sd_notify.html
// A no-op when NOTIFY_SOCKET is unset: not under systemd (a shell, `npm run demo`, the tests).
import type { Logger } from "../log.js";
import { systemdNotifyCommand, type Send } from "./send.js";

export interface Notifier {
  /** True under a Type=notify unit (NOTIFY_SOCKET is set). */
  readonly active: boolean;
  /** Milliseconds between watchdog pings (half of WatchdogSec), or null when the unit has no watchdog. */
  readonly watchdogMs: number | null;
  ready(status: string): Promise<void>;
  status(status: string): Promise<void>;
  stopping(status: string): Promise<void>;
  /** WATCHDOG=1, with the current status, every `watchdogMs` until stop(). */
  startWatchdog(status: () => string): void;
  stop(): void;
}

export interface NotifierDeps {
  log: Logger;
  env?: NodeJS.ProcessEnv;
  pid?: number;
  /** Defaults to systemd-notify(1); tests pass their own. */
  send?: Send;
}

/** sd_watchdog_enabled(3): WATCHDOG_USEC is the timeout; ping at half of it, and only if WATCHDOG_PID is us. */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid: number): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== "" && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(1, Math.floor(usec / 2000));
}

// The protocol is newline-separated assignments: a newline inside a status would start a bogus one
const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ").trim();

export function systemdNotifier({ log, env = process.env, pid = process.pid, send }: NotifierDeps): Notifier {
  const socket = env.NOTIFY_SOCKET ?? "";
  const active = socket !== "";
  const watchdogMs = active ? watchdogIntervalMs(env, pid) : null;
  const deliver = send ?? systemdNotifyCommand(socket);
  let timer: NodeJS.Timeout | null = null;
  let pingInFlight = false;
  let failing = false;

  async function notify(fields: string[]): Promise<void> {
    if (!active) return;
    try {
      await deliver(fields);
      if (failing) log.info("systemd notifications work again");
      failing = false;
    } catch (err) {
      // Log the first failure of a run only: a broken socket must not write a line every 30 s
      if (!failing) log.warn({ err: { message: (err as Error).message } }, "systemd notification failed");
      failing = true;
    }
  }

  return {
    active,
    watchdogMs,
    ready: (status) => notify(["READY=1", `STATUS=${oneLine(status)}`]),
    status: (status) => notify([`STATUS=${oneLine(status)}`]),
    stopping: (status) => notify(["STOPPING=1", `STATUS=${oneLine(status)}`]),
    startWatchdog(status) {
      if (watchdogMs === null || timer) return;
      timer = setInterval(() => {
        // A ping still waiting for PID 1 is not joined by another: children must not pile up
        if (pingInFlight) return;
        pingInFlight = true;
        void notify(["WATCHDOG=1", `STATUS=${oneLine(status())}`]).finally(() => (pingInFlight = false));
      }, watchdogMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
