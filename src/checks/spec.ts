// The owner's own checks (`checks` in the config): what each one watches and how often. Pure: a JSON value in,
// every problem out (`checks[2].url: ...`), so check-config names the exact key, or a list of complete specs.
// The shapes follow the examples, so configs written from the docs keep working.

export type CheckType = "systemd" | "process" | "tcp" | "http" | "file" | "command";
export type FailureLevel = "warn" | "crit";

interface Common {
  name: string;
  /** Seconds between runs. */
  every: number;
  /** Seconds a run may take before it counts as unknown (and a command is killed). */
  timeout: number;
  /** What a failure means for the device. */
  level: FailureLevel;
}

export type CheckSpec = Common &
  (
    | { type: "systemd"; unit: string }
    | { type: "process"; match: string; min: number }
    | { type: "tcp"; host: string; port: number }
    | { type: "http"; url: string; expect: number }
    | { type: "file"; path: string; maxAgeSeconds: number | null }
    | { type: "command"; argv: string[] }
  );

export const CHECK_DEFAULTS = { every: 60, timeout: 10, level: "crit" as FailureLevel };
/** Bounds: a check more often than every 5 s is sampling's job; one run may not outlast a minute. */
const EVERY = { min: 5, max: 86400 };
const TIMEOUT = { min: 1, max: 60 };

/** The keys each type takes besides name, type, every, timeout, level. */
const TYPE_KEYS: Record<CheckType, string[]> = {
  systemd: ["unit"],
  process: ["match", "min"],
  tcp: ["host", "port"],
  http: ["url", "expect"],
  file: ["path", "maxAgeSeconds"],
  command: ["argv"],
};
const COMMON_KEYS = ["name", "type", "every", "timeout", "level"];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const UNIT = /^[A-Za-z0-9:_.@\\-]+\.(service|socket|timer|mount|path|target|device|swap|scope|slice|automount)$/;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const isNumber = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** Every problem with the list, one line each, each naming its key; empty when the list is good. */
export function checkProblems(value: unknown): string[] {
  if (!Array.isArray(value)) return ["checks: must be a list of checks like [{\"name\": \"app\", \"type\": \"systemd\", \"unit\": \"kiosk.service\"}]"];
  const problems: string[] = [];
  const names = new Set<string>();
  value.forEach((raw, i) => {
    const at = (key: string) => `checks[${i}].${key}`;
    if (!isObject(raw)) return void problems.push(`checks[${i}]: must be an object with name, type and the type's keys`);
    const say = (key: string, expected: string) => problems.push(`${at(key)}: ${expected}: value was ${shown(raw[key])}`);
    if (typeof raw.name !== "string" || !NAME.test(raw.name)) say("name", "must be 1 to 32 letters, digits, '.', '_' or '-'");
    else if (names.has(raw.name)) say("name", "must be unique among the checks");
    else names.add(raw.name);
    const type = raw.type as CheckType;
    if (typeof raw.type !== "string" || !Object.hasOwn(TYPE_KEYS, raw.type)) {
      say("type", `must be one of ${Object.keys(TYPE_KEYS).join(", ")}`);
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!COMMON_KEYS.includes(key) && !TYPE_KEYS[type].includes(key)) {
        problems.push(`${at(key)}: is not a setting of a ${type} check (it takes ${[...COMMON_KEYS, ...TYPE_KEYS[type]].join(", ")})`);
      }
    }
    if (raw.every !== undefined && !isNumber(raw.every, EVERY.min, EVERY.max)) say("every", `must be seconds from ${EVERY.min} to ${EVERY.max}`);
    if (raw.timeout !== undefined && !isNumber(raw.timeout, TIMEOUT.min, TIMEOUT.max)) say("timeout", `must be seconds from ${TIMEOUT.min} to ${TIMEOUT.max}`);
    if (raw.level !== undefined && raw.level !== "warn" && raw.level !== "crit") say("level", 'must be "warn" or "crit"');
    switch (type) {
      case "systemd":
        if (typeof raw.unit !== "string" || !UNIT.test(raw.unit)) say("unit", "must be a unit name like kiosk.service");
        break;
      case "process":
        if (typeof raw.match !== "string" || raw.match.trim() === "" || raw.match.length > 200) say("match", "must be a process name or part of its command line (1 to 200 characters)");
        if (raw.min !== undefined && !isWhole(raw.min, 1, 10000)) say("min", "must be a whole number from 1 to 10000");
        break;
      case "tcp":
        if (typeof raw.host !== "string" || !/^[A-Za-z0-9.:[\]-]{1,253}$/.test(raw.host)) say("host", "must be a host name or address like 127.0.0.1");
        if (!isWhole(raw.port, 1, 65535)) say("port", "must be a port from 1 to 65535");
        break;
      case "http":
        if (!isHttpUrl(raw.url)) say("url", "must be an http:// or https:// URL like http://127.0.0.1:8080/health");
        if (raw.expect !== undefined && !isWhole(raw.expect, 100, 599)) say("expect", "must be an HTTP status from 100 to 599");
        break;
      case "file":
        if (typeof raw.path !== "string" || !raw.path.startsWith("/")) say("path", "must be an absolute path like /run/app/heartbeat");
        if (raw.maxAgeSeconds !== undefined && !isNumber(raw.maxAgeSeconds, 1, 31 * 86400)) say("maxAgeSeconds", "must be seconds from 1 to 2678400");
        break;
      case "command":
        if (!Array.isArray(raw.argv) || raw.argv.length === 0 || !raw.argv.every((a) => typeof a === "string") || !String(raw.argv[0]).startsWith("/")) {
          say("argv", 'must be a list of strings starting with an absolute program path, e.g. ["/usr/lib/nagios/plugins/check_disk", "-w", "20%"] (no shell)');
        }
        break;
    }
  });
  return problems;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The list with every default filled in. Call only on a list checkProblems found nothing wrong with. */
export function withDefaults(list: Raw[]): CheckSpec[] {
  return list.map((raw) => {
    const common = {
      name: raw.name as string,
      every: (raw.every as number | undefined) ?? CHECK_DEFAULTS.every,
      timeout: (raw.timeout as number | undefined) ?? CHECK_DEFAULTS.timeout,
      level: (raw.level as FailureLevel | undefined) ?? CHECK_DEFAULTS.level,
    };
    switch (raw.type as CheckType) {
      case "systemd":
        return { ...common, type: "systemd", unit: raw.unit as string };
      case "process":
        return { ...common, type: "process", match: raw.match as string, min: (raw.min as number | undefined) ?? 1 };
      case "tcp":
        return { ...common, type: "tcp", host: raw.host as string, port: raw.port as number };
      case "http":
        return { ...common, type: "http", url: raw.url as string, expect: (raw.expect as number | undefined) ?? 200 };
      case "file":
        return { ...common, type: "file", path: raw.path as string, maxAgeSeconds: (raw.maxAgeSeconds as number | undefined) ?? null };
      case "command":
        return { ...common, type: "command", argv: raw.argv as string[] };
    }
  });
}
