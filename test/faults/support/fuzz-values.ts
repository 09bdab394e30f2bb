// Values the config fuzzer puts into one setting, each with the class it belongs to and whether the agent must
// take it. Fixed lists (every entry is tried once) and, for numbers, values drawn from the seeded PRNG.
import { METRICS, THRESHOLD_DEFAULTS, type Metric, type Prng, type Spec } from "./fuzz-spec.js";

/** A number JSON.stringify cannot write (1e400 parses to Infinity); fuzz-cases.ts splices it into the text. */
export class RawJson {
  constructor(readonly json: string) {}
}

export interface Value {
  value: unknown;
  kind: string;
  valid: boolean;
  /** What check-config must print for the key when it differs from `value` (normalized, redacted). */
  shows?: unknown;
}

const ok = (kind: string, values: unknown[]): Value[] => values.map((value) => ({ value, kind: value === "" ? "empty string" : kind, valid: true }));
const bad = (kind: string, values: unknown[]): Value[] => values.map((value) => ({ value, kind: value === "" ? "empty string" : kind, valid: false }));

const GARBAGE = { a: { b: [1, { c: null, d: [[[]]] }] } };
export const WRONG_TYPES = {
  number: ["abc", "10", "", true, null, [], {}, [5], { value: 5 }, GARBAGE],
  string: [42, true, null, [], { a: 1 }, ["x"], GARBAGE],
  boolean: ["true", "yes", 1, 0, null, [], {}],
  list: ["alice@example.org", 42, null, { a: "b" }, true, GARBAGE],
};

export const LONG = { limit: "r".repeat(1023), over: "r".repeat(1024), overUtf8: "ü".repeat(512) };

/** The fixed values of a setting; numbers are drawn by numberValue(). */
export function fixedValues(key: string, spec: Spec): Value[] {
  switch (spec.type) {
    case "int":
    case "number":
      return [
        ...ok("in range", [spec.min, spec.max]),
        ...bad("out of range", [-1e9, 1e12, new RawJson("1e400"), new RawJson("-1e400")]),
        ...bad("wrong type", WRONG_TYPES.number),
      ];
    case "boolean":
      return [...ok("good value", [true, false]), ...bad("wrong type", WRONG_TYPES.boolean)];
    case "enum":
      return [
        ...ok("good value", spec.values),
        ...bad("not one of the values", [spec.values[0]!.toUpperCase(), "verbose", "", ` ${spec.values[0]}`, spec.values[0]!.slice(0, 3)]),
        ...bad("wrong type", WRONG_TYPES.string),
      ];
    case "jid":
      return [
        ...ok("good JID", ["pi-7@example.org", "x@localhost", "dévice@exämple.org", "a@b", `${"a".repeat(1023)}@example.org`]),
        ...bad("bad JID", ["no-at-sign", "pi@example.org/res", "@example.org", "pi@", "pi 7@example.org", "pi@exa mple.org", "a@b@c",
          "<pi>@example.org", 'pi"@example.org', "pi:7@example.org", " pi@example.org"]),
        ...bad("very long string", [`${"a".repeat(1024)}@example.org`, `pi@${"b".repeat(1024)}`]),
        ...bad("wrong type", WRONG_TYPES.string),
      ];
    case "service":
      return [
        ...ok("good service", ["xmpp://127.0.0.1:5222", "xmpps://xmpp.example.org:5223", "xmpp://[::1]:5222", "xmpp://example.org",
          "xmpps://example.org/", "xmpp://h:1", "xmpp://h:65535"]),
        ...ok("empty string", [""]),
        ...bad("bad service", ["http://example.org", "xmpp://", "xmpp://host:port", "xmpp://host:0", "xmpp://host:65536",
          "xmpp://host:99999", "example.org", "xmpp://host/path", "xmpp://ho st", " xmpp://host", "xmpp://host:5222 ", "xmpps://[::1"]),
        ...bad("wrong type", WRONG_TYPES.string),
      ];
    case "resource":
      return [
        ...ok("good resource", ["pi", "my device 7", "gerät"]),
        ...ok("empty string", [""]),
        ...ok("very long string", [LONG.limit]),
        ...bad("very long string", [LONG.over, LONG.overUtf8]),
        ...bad("wrong type", WRONG_TYPES.string),
      ];
    case "operators":
      return [
        ...ok("good operators", [[], ["alice@example.org"], ["*@ops.example.org", "Bob@Example.org"]]),
        ...bad("bad operators", [["alice"], ["*@"], ["alice@example.org/phone"], ["*@*.example.org"], [""], [42], [null], [["a@x.org"]],
          ["alice@example.org", "bob"]]),
        ...bad("very long string", [[`${"a".repeat(1024)}@example.org`]]),
        ...bad("wrong type", WRONG_TYPES.list),
      ];
    case "jids":
      return [
        ...ok("good devices", [[], ["pi-1@example.org"], ["Pi-2@Example.org", "pi-3@example.org"]]),
        ...bad("bad devices", [["*@example.org"], ["pi"], ["pi@example.org/agent"], [""], [42], [null], [["a@x.org"]]]),
        ...bad("very long string", [[`${"a".repeat(1024)}@example.org`]]),
        ...bad("wrong type", WRONG_TYPES.list),
      ];
    case "mounts":
      return [
        ...ok("good mounts", [["/"], ["/", "/data"], [], ["/media/usb"]]),
        ...bad("bad mounts", [["data"], [""], [1], [null], ["/", "relative"]]),
        ...bad("wrong type", ["/", ...WRONG_TYPES.list]),
      ];
    case "checks":
      // docs/checks.md: name, type and the type's keys; every, timeout, level optional
      return [
        ...ok("good checks", [
          [],
          [{ name: "app", type: "systemd", unit: "kiosk.service" }],
          [
            { name: "logger", type: "process", match: "logger.py", min: 1 },
            { name: "mqtt", type: "tcp", host: "127.0.0.1", port: 1883, level: "warn" },
            { name: "web", type: "http", url: "http://127.0.0.1:8080/health", expect: 200, timeout: 5 },
            { name: "beat", type: "file", path: "/run/app/heartbeat", maxAgeSeconds: 120 },
            { name: "root", type: "command", argv: ["/usr/lib/nagios/plugins/check_disk", "-w", "20%"], every: 300 },
          ],
        ]),
        ...bad("bad checks", [
          [{ name: "x", type: "ping", host: "h" }],
          [{ type: "tcp", host: "h", port: 1 }],
          [{ name: "w", type: "http", url: "ftp://x" }],
          [{ name: "t", type: "tcp", host: "h", port: 70000 }],
          [{ name: "d", type: "file", path: "relative" }],
          [{ name: "c", type: "command", argv: ["check_disk"] }],
          [{ name: "c", type: "command", argv: "/bin/true" }],
          [{ name: "u", type: "systemd", unit: "kiosk" }],
          [{ name: "a", type: "tcp", host: "h", port: 1, level: "fatal" }],
          [{ name: "a", type: "tcp", host: "h", port: 1, every: 1 }],
          [{ name: "a", type: "tcp", host: "h", port: 1, shell: true }],
          [{ name: "a", type: "tcp", host: "h", port: 1 }, { name: "a", type: "tcp", host: "h", port: 2 }],
          [null],
          ["app"],
        ]),
        ...bad("wrong type", WRONG_TYPES.list),
      ];
    case "password":
    case "path":
      return []; // the password's sources: fuzz-cases.ts, they depend on each other
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** A number for `key` drawn from the PRNG: in range (keeping warn below crit), out of range, or not whole. */
export function numberValue(key: string, spec: Spec & { min: number; max: number }, rng: Prng, doc: Record<string, any>): Value {
  const draw = (min: number, max: number) => (spec.type === "int" ? rng.int(Math.ceil(min), Math.floor(max)) : round(min + rng.next() * (max - min)));
  const threshold = /^thresholds\.(\w+)\.(warn|crit)$/.exec(key);
  const metric = threshold?.[1] as Metric | undefined;
  const isWarn = threshold?.[2] === "warn";
  const current = metric ? { ...THRESHOLD_DEFAULTS[metric], ...doc.thresholds?.[metric] } : null;
  const roll = rng.next();
  if (metric && current && roll < 0.15) {
    // warn at or above crit, each value within 0..max on its own
    return { value: isWarn ? draw(current.crit, METRICS[metric]) : draw(0, current.warn), kind: "warn >= crit", valid: false };
  }
  if (roll < 0.85 && roll >= 0.55) {
    const step = rng.pick([1, 10, 1000, spec.type === "int" ? 1 : 0.01]);
    return { value: rng.chance(0.5) ? round(spec.min - step) : round(spec.max + step), kind: "out of range", valid: false };
  }
  if (roll >= 0.85 && spec.type === "int") return { value: draw(spec.min, spec.max - 1) + 0.5, kind: "not whole", valid: false };
  if (!metric || !current) return { value: draw(spec.min, spec.max), kind: "in range", valid: true };
  const value = isWarn ? draw(0, current.crit - 0.01) : draw(current.warn + 0.01, METRICS[metric]);
  const kept = isWarn ? Math.min(value, round(current.crit - 0.01)) : Math.max(value, round(current.warn + 0.01));
  return { value: kept, kind: "in range", valid: true };
}
