// The suite-wide log capture behind test/faults/secrets.test.ts. With AGENT_TEST_CAPTURE_DIR set (`npm test`
// sets it), every line an agent writes in a test (the in-process log sink, each CLI child's stdout and stderr)
// is appended to <dir>/logs/<test file>.<pid>.<source>.log, so one scan after the suite can show that no
// password was ever logged. The passwords are recorded by test/servers/throwaway/accounts.ts in <dir>/secrets.txt.
import { appendFileSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export const CAPTURE_ENV = "AGENT_TEST_CAPTURE_DIR";
/** sink: test/support/log-sink.ts; cli: test/support/cli.ts; file: a log file a test had the agent write. */
export type CaptureSource = "sink" | "cli" | "file";

export function captureDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = env[CAPTURE_ENV];
  return dir ? resolve(dir) : null;
}

function captureFile(dir: string, source: CaptureSource): string {
  const logs = join(dir, "logs");
  mkdirSync(logs, { recursive: true });
  return join(logs, `${basename(process.argv[1] ?? "node", ".js")}.${process.pid}.${source}.log`);
}

/**
 * A writer of whole lines: a chunk may end mid-line, and a secret split between two appends (with another
 * stream's line in between) would slip past the scan. end() writes what is left. A no-op without the variable.
 */
export function lineCapture(source: CaptureSource): { write(chunk: string | Buffer): void; end(): void } {
  const dir = captureDir();
  if (dir === null) return { write() {}, end() {} };
  const file = captureFile(dir, source);
  let pending = "";
  return {
    write(chunk) {
      pending += String(chunk);
      const cut = pending.lastIndexOf("\n");
      if (cut < 0) return;
      appendFileSync(file, pending.slice(0, cut + 1));
      pending = pending.slice(cut + 1);
    },
    end() {
      if (pending !== "") appendFileSync(file, `${pending}\n`);
      pending = "";
    },
  };
}
