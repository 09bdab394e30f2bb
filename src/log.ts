// The pino root: JSON lines on stdout for journald, secrets redacted, one child logger per capability.
import { pino, type Logger } from "pino";
import { REDACTED, SECRET_PATHS } from "./config/redact.js";

export type { Logger };

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    { level, base: { pid: process.pid }, redact: { paths: SECRET_PATHS, censor: REDACTED } },
    destination,
  );
}
