// When a just-spawned Prosody is ready: its log says c2s is on our port AND the port accepts.
// The port alone is not enough: if another program took it, Prosody logs "Failed to open server port",
// activates c2s "on no ports" and keeps running, while the other program answers our connect.
import { open, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { accepts, LOOPBACK } from "./loopback.js";

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
  const listening = `Activated service 'c2s' on [${LOOPBACK}]:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const log = await logSince(logFile, logOffset);
    if (log.includes(listening) && (await accepts(port))) return null;
    if (log.includes("Activated service 'c2s' on no ports")) return `could not listen on ${LOOPBACK}:${port}`;
    if (!running()) return "exited while starting";
    await sleep(50);
  }
  return `did not accept connections on ${LOOPBACK}:${port} within ${timeoutMs / 1000} s`;
}

export async function logSize(file: string): Promise<number> {
  return (await stat(file).catch(() => null))?.size ?? 0;
}

/** The log from a byte offset on; "" before Prosody has written it. */
export async function logSince(file: string, offset: number): Promise<string> {
  try {
    const handle = await open(file);
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.max(0, size - offset));
      await handle.read(buffer, 0, buffer.length, offset);
      return buffer.toString();
    } finally {
      await handle.close();
    }
  } catch {
    return ""; // not written yet
  }
}
