// When a just-spawned server is ready: its log says c2s listens on our port AND the port accepts. The port
// alone is not enough: another program may hold it (Prosody then logs "Failed to open server port" and keeps
// running with c2s "on no ports", while the other program answers our connect). Each harness names its lines.
import { open, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { accepts, LOOPBACK } from "./loopback.js";

/** What one server software writes to its log, for readiness and for the message of a failed start. */
export interface ServerLogLines {
  /** The log line that says c2s listens on our port. */
  listening: string;
  /** Log lines that mean it never will, each with the reason to report. */
  failures: [line: string, reason: string][];
  /** Whether a line of a failed start says why (its warnings and errors, not our own shutdown's). */
  telling(line: string): boolean;
}

export interface ReadinessInput extends Pick<ServerLogLines, "listening" | "failures"> {
  port: number;
  logFile: string;
  /** Where this start's lines begin in the log (it is appended to across restarts). */
  logOffset: number;
  running: () => boolean;
  timeoutMs: number;
}

/** Resolves null when ready, otherwise why it is not. */
export async function whyNotReady({ port, logFile, logOffset, running, timeoutMs, listening, failures }: ReadinessInput): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const log = await logSince(logFile, logOffset);
    if (log.includes(listening) && (await accepts(port))) return null;
    const failed = failures.find(([line]) => log.includes(line));
    if (failed) return failed[1];
    if (!running()) return "exited while starting";
    await sleep(50);
  }
  return `did not accept connections on ${LOOPBACK}:${port} within ${timeoutMs / 1000} s`;
}

export async function logSize(file: string): Promise<number> {
  return (await stat(file).catch(() => null))?.size ?? 0;
}

/** The log from a byte offset on; "" before the server has written it. */
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
