// When a just-spawned ejabberd is ready: its log says the c2s listener accepts on our port AND the port accepts.
// The port alone is not enough: another program may hold it. ejabberd 23.01 then logs "Failed to open socket"
// and its application fails to start; the VM exits.
import { setTimeout as sleep } from "node:timers/promises";
import { accepts, LOOPBACK } from "../prosody/loopback.js";
import { logSince } from "../prosody/readiness.js";

export interface ReadinessInput {
  port: number;
  logFile: string;
  /** Where this start's lines begin in the log (it is appended to across restarts). */
  logOffset: number;
  running: () => boolean;
  timeoutMs: number;
}

/** Resolves null when ready, otherwise why it is not. */
export async function whyNotReady({ port, logFile, logOffset, running, timeoutMs }: ReadinessInput): Promise<string | null> {
  // ejabberd_listener.erl: ?INFO_MSG("Start accepting ~ts connections at ~ts for ~p", ...)
  const listening = `Start accepting TCP connections at ${LOOPBACK}:${port} for ejabberd_c2s`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const log = await logSince(logFile, logOffset);
    if (log.includes(listening) && (await accepts(port))) return null;
    if (log.includes(`Failed to open socket at ${LOOPBACK}:${port}`)) return `could not listen on ${LOOPBACK}:${port}`;
    if (log.includes("Failed to start ejabberd application")) return "failed to start";
    if (!running()) return "exited while starting";
    await sleep(50);
  }
  return `did not accept connections on ${LOOPBACK}:${port} within ${timeoutMs / 1000} s`;
}
