// The agent's pino lines as records, read incrementally (a long run logs thousands), with the questions the
// fault tests ask of them: how many times was X said, and when.
export interface LogRecord {
  msg: string;
  time: number;
  level: number;
  [key: string]: unknown;
}

export function agentLog(lines: string[]) {
  const records: LogRecord[] = [];
  const read = () => {
    for (let i = records.length; i < lines.length; i++) records.push(JSON.parse(lines[i]!) as LogRecord);
    return records;
  };
  return {
    records: read,
    /** Records with this message (a string is matched exactly), from index `since` on. */
    said: (msg: string | RegExp, since = 0) => read().slice(since).filter((r) => (typeof msg === "string" ? r.msg === msg : msg.test(r.msg))),
    /** Where the next record will be: pass it as `since` to ask only about what comes after now. */
    mark: () => read().length,
  };
}

export function parseLines(text: string): LogRecord[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogRecord);
}
