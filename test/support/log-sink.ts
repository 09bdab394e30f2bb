// Collects an agent's pino lines in memory, so a test can assert on them (and that no secret is in them).
import { Writable } from "node:stream";

export function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, lines, text: () => lines.join("\n"), records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
