// Reads what test/support/log-capture.ts and test/servers/throwaway/accounts.ts left in the capture directory and looks
// for every recorded password, in every form of secrets-forms.ts, in every captured line.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { needles, type Secret } from "./secrets-forms.js";

export interface Hit {
  file: string;
  line: number;
  user: string;
  form: string;
}

export interface Scan {
  secrets: number;
  needles: number;
  files: number;
  lines: number;
  /** Lines per capture source ("sink", "cli"), from the file names. */
  linesBySource: Record<string, number>;
  hits: Hit[];
}

/** Adds a secret a test used without registering it (a wrong password, a config's password) to the scan. */
export function listSecret(dir: string, secret: Secret): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, "secrets.txt"), `${JSON.stringify(secret)}\n`, { mode: 0o600 });
}

export function readSecrets(dir: string): Secret[] {
  const file = join(dir, "secrets.txt");
  if (!existsSync(file)) return [];
  const unique = new Map<string, Secret>();
  for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const secret = JSON.parse(line) as Secret;
    unique.set(JSON.stringify(secret), secret);
  }
  return [...unique.values()];
}

export function scanCapture(dir: string): Scan {
  const secrets = readSecrets(dir);
  const wanted = secrets.flatMap((secret) => needles(secret).map((needle) => ({ ...needle, user: secret.user })));
  const logs = join(dir, "logs");
  const files = existsSync(logs) ? readdirSync(logs).filter((f) => f.endsWith(".log")).sort() : [];
  const scan: Scan = { secrets: secrets.length, needles: wanted.length, files: files.length, lines: 0, linesBySource: {}, hits: [] };
  for (const file of files) {
    const text = readFileSync(join(logs, file), "utf8");
    const lines = text.split("\n").filter(Boolean).length;
    const source = /\.(\w+)\.log$/.exec(file)![1]!;
    scan.lines += lines;
    scan.linesBySource[source] = (scan.linesBySource[source] ?? 0) + lines;
    for (const { text: needle, form, user } of wanted) {
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
        scan.hits.push({ file, line: text.slice(0, at).split("\n").length, user, form });
      }
    }
  }
  return scan;
}
