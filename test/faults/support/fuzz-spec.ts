// The config fuzzer's oracle: what each setting accepts, written from the README's reference and RFC 7622,
// not read from src/config/schema.ts (a test compares the key lists, so a new setting must be added here too).
// And a small seeded PRNG, so a failing run can be repeated with its seed.

import { mulberry32 } from "./seeded-random.js";

export type Spec =
  | { type: "int" | "number"; min: number; max: number }
  | { type: "boolean" }
  | { type: "enum"; values: string[] }
  | { type: "jid" | "service" | "password" | "path" | "resource" | "operators" | "mounts" | "checks" | "jids" };

const int = (min: number, max: number): Spec => ({ type: "int", min, max });
const num = (min: number, max: number): Spec => ({ type: "number", min, max });

export const METRICS = { cpu: 100, memory: 100, disk: 100, temperature: 200, load: 1000 } as const;
export type Metric = keyof typeof METRICS;
/** The defaults of warn and crit, for a mutation that keeps warn below crit. */
export const THRESHOLD_DEFAULTS: Record<Metric, { warn: number; crit: number }> = {
  cpu: { warn: 85, crit: 95 },
  memory: { warn: 85, crit: 95 },
  disk: { warn: 85, crit: 95 },
  temperature: { warn: 70, crit: 80 },
  load: { warn: 2, crit: 4 },
};

export const SPEC: Record<string, Spec> = {
  "xmpp.service": { type: "service" },
  "xmpp.jid": { type: "jid" },
  "xmpp.password": { type: "password" },
  "xmpp.passwordFile": { type: "path" },
  "xmpp.resource": { type: "resource" },
  "xmpp.allowInsecure": { type: "boolean" },
  "xmpp.keepaliveSeconds": int(5, 3600),
  "xmpp.keepaliveTimeoutSeconds": int(1, 600),
  "xmpp.reconnectMaxSeconds": int(1, 3600),
  "xmpp.loginStepTimeoutSeconds": int(1, 20),
  operators: { type: "operators" },
  "sampling.intervalSeconds": num(0.5, 86400),
  "sampling.disks": { type: "mounts" },
  ...Object.fromEntries(
    Object.entries(METRICS).flatMap(([metric, max]) => [
      [`thresholds.${metric}.warn`, num(0, max)],
      [`thresholds.${metric}.crit`, num(0, max)],
    ]),
  ),
  "thresholds.power": { type: "enum", values: ["ignore", "warn", "crit"] },
  "presence.raiseAfter": int(1, 100),
  "presence.clearAfter": int(1, 100),
  "presence.minIntervalSeconds": int(0, 86400),
  "presence.refreshSeconds": int(0, 86400),
  "presence.priority": int(0, 127),
  "fleet.room": { type: "jid" },
  "fleet.nick": { type: "resource" },
  "fleet.announce": { type: "boolean" },
  "fleet.announceMinIntervalSeconds": int(0, 86400),
  "alerts.level": { type: "enum", values: ["crit", "warn", "off"] }, // not "off" first: its 3-letter cut would be valid
  "alerts.remindMinutes": num(0, 10080),
  "alerts.flapChanges": int(1, 100),
  "alerts.flapMinutes": num(0.01, 1440),
  "alerts.maxPerMinute": int(1, 60),
  "alerts.stateDirectory": { type: "path" },
  checks: { type: "checks" },
  "watch.devices": { type: "jids" },
  "watch.pingSeconds": int(5, 3600),
  "watch.digestSeconds": int(0, 3600),
  "log.level": { type: "enum", values: ["fatal", "error", "warn", "info", "debug", "trace", "silent"] },
};

export const KEYS = Object.keys(SPEC);
/** Every group of settings: "xmpp", "thresholds", "thresholds.cpu", ... */
export const GROUPS = [...new Set(KEYS.flatMap((key) => key.split(".").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("."))))];

/** Mutation picks from a seeded mulberry32 (seeded-random.ts). */
export function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Prng = ReturnType<typeof prng>;

export function getPath(doc: Record<string, unknown>, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
}

export function setPath(doc: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null || Array.isArray(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}
