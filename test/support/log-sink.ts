// Collects an agent's pino lines in memory, so a test can assert on them (and that no secret is in them).
import { Writable } from "node:stream";
import { lineCapture } from "./log-capture.js";

export function logSink() {
  const lines: string[] = [];
  const capture = lineCapture("sink"); // for the suite-wide secrets scan (test/support/log-capture.ts)
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      capture.write(chunk);
      done();
    },
    final(done) {
      capture.end();
      done();
    },
  });
  return { stream, lines, text: () => lines.join("\n"), records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
