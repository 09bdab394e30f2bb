// Each operator's own choice of alerts (`alerts off|warn|crit` by chat), kept across restarts in a JSON file
// in the state directory: alerts.stateDirectory, or systemd's $STATE_DIRECTORY (StateDirectory= in the unit).
// Without either the choices last until the agent stops, and the reply says so.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log.js";

export type AlertChoice = "off" | "warn" | "crit";
export const CHOICES: readonly AlertChoice[] = ["off", "warn", "crit"];

/** alerts.stateDirectory, else the first of systemd's $STATE_DIRECTORY (it may list several, colon-separated). */
export function stateDirectory(configured: string, env: NodeJS.ProcessEnv): string | null {
  return configured || env.STATE_DIRECTORY?.split(":")[0] || null;
}

export function alertChoices({ directory, log }: { directory: string | null; log: Logger }) {
  const file = directory ? join(directory, "alerts.json") : null;
  let choices = new Map<string, AlertChoice>();

  function load() {
    if (!file) return;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") log.warn({ file, code: (err as NodeJS.ErrnoException).code }, "alerts: choices cannot be read; everyone gets alerts.level");
      return;
    }
    try {
      const parsed = JSON.parse(text) as { operators?: Record<string, unknown> };
      choices = new Map(Object.entries(parsed.operators ?? {}).filter((e): e is [string, AlertChoice] => CHOICES.includes(e[1] as AlertChoice)));
    } catch {
      log.warn({ file }, "alerts: choices file is not valid JSON; everyone gets alerts.level until someone chooses again");
    }
  }

  function save() {
    if (!file) return;
    try {
      mkdirSync(directory!, { recursive: true, mode: 0o700 });
      // Written aside and renamed: a crash mid-write leaves the old file, never half of one
      writeFileSync(`${file}.new`, `${JSON.stringify({ operators: Object.fromEntries(choices) }, null, 2)}\n`, { mode: 0o600 });
      renameSync(`${file}.new`, file);
    } catch (err) {
      log.warn({ file, code: (err as NodeJS.ErrnoException).code }, "alerts: choices not saved; they hold until the agent stops");
    }
  }

  return {
    load,
    kept: file !== null,
    get: (jid: string): AlertChoice | undefined => choices.get(jid),
    set(jid: string, choice: AlertChoice) {
      choices.set(jid, choice);
      save();
    },
  };
}
