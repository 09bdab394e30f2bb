// The config fuzzer's cases: config/example.json (its passwordFile pointed at a file holding the secret) with
// one or more mutations, each knowing whether the agent must take it and, if not, which key the error names.
// Named cases try every fixed value once; random ones combine mutations drawn from the seeded PRNG.
import { GROUPS, KEYS, SPEC, getPath, setPath, type Prng } from "./fuzz-spec.js";
import { RawJson, fixedValues, numberValue, type Value } from "./fuzz-values.js";

export interface Context {
  secret: string;
  /** A temp dir for the case files; it is also "a directory where a file belongs". */
  dir: string;
  passwordFile: string;
  otherPasswordFile: string;
  emptyFile: string;
  /** Holds xmpp-password, like systemd's $CREDENTIALS_DIRECTORY. */
  credentialsDir: string;
}

export interface Mutation {
  kind: string;
  what: string;
  valid: boolean;
  /** Keys (or groups) it changes; two mutations of one case never overlap, so each outcome stays known. */
  touches: string[];
  edit?(doc: Record<string, unknown>): void;
  env?: Record<string, string>;
  /** Invalid: a line of stderr starts with this key (or "config file"); undefined: any "is not a known setting". */
  names?: string;
  /** Valid: check-config prints this value at this key. */
  shows?: [string, unknown];
  /** Instead of the edited example: the file's whole text, or the --config path. */
  text?: string;
  configPath?: string;
}

export interface FuzzCase {
  id: string;
  mutations: Mutation[];
  valid: boolean;
  text: string | null;
  configPath: string | null;
  env: Record<string, string>;
}

const short = (value: unknown) => {
  const text = value instanceof RawJson ? value.json : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...(${text.length} chars)` : text;
};
const touchOf = (key: string) => (key.startsWith("thresholds.") && key !== "thresholds.power" ? key.split(".").slice(0, 2).join(".") : key);
const ALL = "*";

function setting(key: string, value: Value): Mutation {
  return {
    kind: value.kind,
    what: `${key} = ${short(value.value)}`,
    valid: value.valid,
    touches: [touchOf(key)],
    edit: (doc) => setPath(doc, key, value.value),
    // "thresholds.cpu.warn: must be below thresholds.cpu.crit", whichever of the two was changed
    names: value.kind === "warn >= crit" ? key.replace(/crit$/, "warn") : key,
    shows: [key, value.shows ?? value.value],
  };
}

function unknownKey(where: string, name: string, value: unknown): Mutation {
  const path = where ? `${where}.${name}` : name;
  return {
    kind: "unknown key",
    what: `unknown ${short(path)} = ${short(value)}`,
    valid: false,
    touches: [path],
    edit: (doc) => {
      const group = where ? (getPath(doc, where) as Record<string, unknown> | undefined) ?? (setPath(doc, where, {}), getPath(doc, where)) : doc;
      // defineProperty: "__proto__" must become a key, not the prototype
      Object.defineProperty(group, name, { value, enumerable: true, configurable: true, writable: true });
    },
    // check-config prints a plain key as is, any other quoted and cut short (src/config/shape.ts)
    names: /^[\w.*-]{1,60}$/.test(path) ? path : undefined,
  };
}

const env = (kind: string, key: string, name: string, value: string, valid: boolean, shows?: unknown): Mutation => ({
  kind, what: `${name}=${short(value)}`, valid, touches: [key], env: { [name]: value }, names: key,
  ...(valid && shows !== undefined ? { shows: [key, shows] as [string, unknown] } : {}),
});

function envMutations(ctx: Context): Mutation[] {
  const interval = (v: string, ok: boolean) => env("env AGENT_INTERVAL", "sampling.intervalSeconds", "AGENT_INTERVAL", v, ok, ok ? Number(v) : undefined);
  const operators = (v: string, shows: string[] | null) => env("env AGENT_OPERATORS", "operators", "AGENT_OPERATORS", v, shows !== null, shows ?? undefined);
  const insecure = (v: string, shows: boolean | null) => env("env XMPP_ALLOW_INSECURE", "xmpp.allowInsecure", "XMPP_ALLOW_INSECURE", v, shows !== null, shows ?? undefined);
  const level = (v: string, ok: boolean) => env("env AGENT_LOG_LEVEL", "log.level", "AGENT_LOG_LEVEL", v, ok, v);
  return [
    ...["0.5", "30", "86400", " 7 ", "1e3", "+5"].map((v) => interval(v, true)),
    ...["abc", "5abc", "10s", "", " ", "-1", "0", "0.4", "86401", "NaN", "Infinity", "1e400", "0x10", "1,5"].map((v) => interval(v, false)),
    operators("alice@example.org", ["alice@example.org"]),
    operators("a@example.org,,b@example.org", ["a@example.org", "b@example.org"]),
    operators(" A@Example.org , *@ops.example.org ", ["a@example.org", "*@ops.example.org"]),
    operators(",", []),
    operators("", []),
    ...["a,,b", "alice", "*@", "a@example.org/phone", "a@example.org;b@example.org"].map((v) => operators(v, null)),
    ...([["true", true], ["false", false], ["TRUE", true], ["False", false]] as const).map(([v, shows]) => insecure(v, shows)),
    ...["maybe", "0", "1", "yes", "no", "", " true", "on"].map((v) => insecure(v, null)),
    ...["debug", "silent"].map((v) => level(v, true)),
    ...["verbose", "INFO", "", "debug "].map((v) => level(v, false)),
    env("env XMPP_JID", "xmpp.jid", "XMPP_JID", "other@example.org", true, "other@example.org"),
    ...["nope", "a@b/c", " pi@example.org"].map((v) => env("env XMPP_JID", "xmpp.jid", "XMPP_JID", v, false)),
    env("env XMPP_SERVICE", "xmpp.service", "XMPP_SERVICE", "xmpps://h.example.org:5223", true, "xmpps://h.example.org:5223"),
    ...["http://x", "xmpp://h:70000", "xmpp://h:"].map((v) => env("env XMPP_SERVICE", "xmpp.service", "XMPP_SERVICE", v, false)),
    ...["", "pi"].map((v) => env("env XMPP_RESOURCE", "xmpp.resource", "XMPP_RESOURCE", v, true, v)),
    env("env XMPP_RESOURCE", "xmpp.resource", "XMPP_RESOURCE", "r".repeat(1024), false),
    env("env AGENT_FLEET_ROOM", "fleet.room", "AGENT_FLEET_ROOM", "fleet@conference.example.org", true, "fleet@conference.example.org"),
    env("env AGENT_FLEET_ROOM", "fleet.room", "AGENT_FLEET_ROOM", "fleet@conference.example.org/nick", false),
    env("env AGENT_FLEET_NICK", "fleet.nick", "AGENT_FLEET_NICK", "pi 42", true, "pi 42"),
    env("env AGENT_FLEET_NICK", "fleet.nick", "AGENT_FLEET_NICK", "n".repeat(1024), false),
    { ...env("env XMPP_PASSWORD_FILE", "xmpp.passwordFile", "XMPP_PASSWORD_FILE", ctx.otherPasswordFile, true, ctx.otherPasswordFile), touches: ["password"] },
    { ...env("env XMPP_PASSWORD_FILE", "xmpp.passwordFile", "XMPP_PASSWORD_FILE", "/nonexistent/password", false), touches: ["password"] },
  ];
}

/** The password's sources depend on each other, so these mutations each set all of them. */
function passwordMutations(ctx: Context): Mutation[] {
  const m = (kind: string, what: string, valid: boolean, xmpp: Record<string, unknown>, extra: Partial<Mutation> = {}): Mutation => ({
    kind, what, valid, touches: ["password"],
    edit: (doc) => Object.entries(xmpp).forEach(([key, value]) => setPath(doc, `xmpp.${key}`, value)),
    ...extra,
  });
  const { secret } = ctx;
  const redacted: [string, unknown] = ["xmpp.password", "[redacted]"];
  return [
    m("password source", "password in the file, no passwordFile", true, { password: secret, passwordFile: "" }, { shows: redacted }),
    m("password source", "password empty, passwordFile set", true, { password: "" }, { shows: ["xmpp.password", ""] }),
    m("password source", "another passwordFile", true, { passwordFile: ctx.otherPasswordFile }, { shows: ["xmpp.passwordFile", ctx.otherPasswordFile] }),
    m("password source", "XMPP_PASSWORD, no passwordFile", true, { passwordFile: "" }, { env: { XMPP_PASSWORD: secret }, shows: redacted }),
    m("password source", "systemd credential, no passwordFile", true, { passwordFile: "" }, { env: { CREDENTIALS_DIRECTORY: ctx.credentialsDir } }),
    m("two password sources", "password and passwordFile in the file", false, { password: secret }, { names: "xmpp.password" }),
    m("two password sources", "XMPP_PASSWORD and passwordFile", false, {}, { env: { XMPP_PASSWORD: secret }, names: "xmpp.password" }),
    m("two password sources", "password in the file and XMPP_PASSWORD_FILE", false, { password: secret, passwordFile: "" },
      { env: { XMPP_PASSWORD_FILE: ctx.passwordFile }, names: "xmpp.password" }),
    m("two password sources", "systemd credential and passwordFile", false, {}, { env: { CREDENTIALS_DIRECTORY: ctx.credentialsDir }, names: "xmpp.password" }),
    m("no password", "a JID and no password source", false, { passwordFile: "" }, { names: "xmpp.password" }),
    m("empty string", "passwordFile empty and XMPP_PASSWORD empty", false, { passwordFile: "" }, { env: { XMPP_PASSWORD: "" }, names: "xmpp.password" }),
    ...["/nonexistent/password", ctx.dir, ctx.emptyFile].map((file) =>
      m("bad password file", `passwordFile ${file}`, false, { passwordFile: file }, { names: "xmpp.passwordFile" })),
    m("very long string", "passwordFile of 5000 characters", false, { passwordFile: `/${"p".repeat(5000)}` }, { names: "xmpp.passwordFile" }),
    ...[12345678, [secret], { value: secret }, true, null].map((value) =>
      m("password misplaced", `password = ${short(value)}`, false, { password: value }, { names: "xmpp.password" })),
    ...[42, [], true].map((value) => m("wrong type", `passwordFile = ${short(value)}`, false, { passwordFile: value }, { names: "xmpp.passwordFile" })),
    // A JID emptied: no XMPP, so no password is needed (and the one given is not read)
    { ...m("empty string", "xmpp.jid empty", true, { jid: "" }, { shows: ["xmpp.jid", ""] }), touches: [ALL] },
  ];
}

function unknownKeys(ctx: Context): Mutation[] {
  return [
    unknownKey("", "samplng", { intervalSeconds: 5 }), unknownKey("xmpp", "pasword", ctx.secret), unknownKey("xmpp", "Password", ctx.secret),
    unknownKey("", "password", ctx.secret), unknownKey("", "operator", ["a@example.org"]), unknownKey("thresholds.cpu", "warning", 50),
    unknownKey("presence", "raise_after", 3), unknownKey("log", "lvl", "debug"), unknownKey("sampling", "interval", 5),
    unknownKey("thresholds", "gpu", { warn: 1, crit: 2 }), unknownKey("xmpp", "tls", true), unknownKey("", "__proto__", { x: 1 }),
    unknownKey("xmpp", "__proto__", null), unknownKey("", "constructor", { prototype: {} }), unknownKey("", "prototype", 1),
    unknownKey("", "", 1), unknownKey("xmpp", "", "x"), unknownKey("", "ключ", "значение"), unknownKey("", "k".repeat(5000), 1),
    unknownKey("", "xmpp.jid", "pi@example.org"), unknownKey("", "a b", 1), unknownKey("", "$ref", "#/xmpp"),
  ];
}

const GROUP_GARBAGE = [42, "text", null, [], [1, 2], true, ""];

function groupGarbage(group: string, value: unknown): Mutation {
  return { kind: "nested garbage", what: `${group} = ${short(value)}`, valid: false, touches: [group], edit: (doc) => setPath(doc, group, value), names: group };
}

/** Whole-file mutations: the example's text broken, or no file at all. */
function fileMutations(ctx: Context, exampleText: string): Mutation[] {
  const json = (what: string, text: string): Mutation => ({ kind: "invalid JSON", what, valid: false, touches: [ALL], text, names: "config file" });
  const s = ctx.secret;
  return [
    json("empty file", ""), json("only {", "{"), json("trailing comma", '{"log": {"level": "info"},}'),
    json("a comment", `// the device\n${exampleText}`), json("single quotes", "{'log': {'level': 'info'}}"),
    json("unquoted keys", "{log: {level: 'info'}}"), json("NaN", '{"sampling": {"intervalSeconds": NaN}}'),
    json("a byte order mark", `\ufeff${exampleText}`), json("binary garbage", "\u0000\u0001\u00ff\ufffd{"),
    json("two objects", `${exampleText}${exampleText}`), json("truncated", exampleText.slice(0, exampleText.length / 2)),
    json("the password unquoted", `{"xmpp": {"jid": "pi@example.org", "password": ${s}}}`),
    json("the password in single quotes", `{\n  "xmpp": {\n    "password": '${s}'\n  }\n}`),
    json("the password with a stray quote", `{"xmpp": {"password": "${s}" "}}`),
    { kind: "not an object", what: "a list", valid: false, touches: [ALL], text: "[]", names: "config file" },
    { kind: "not an object", what: "null", valid: false, touches: [ALL], text: "null", names: "config file" },
    { kind: "not an object", what: "a string", valid: false, touches: [ALL], text: JSON.stringify(s), names: "config file" },
    { kind: "not an object", what: "a number", valid: false, touches: [ALL], text: "42", names: "config file" },
    { kind: "unreadable file", what: "no such file", valid: false, touches: [ALL], configPath: `${ctx.dir}/missing.json`, names: "config file" },
    { kind: "unreadable file", what: "a directory", valid: false, touches: [ALL], configPath: ctx.dir, names: "config file" },
  ];
}

/** The example's text with one character deleted, doubled or replaced: kept only if it is no longer JSON. */
function corrupted(rng: Prng, text: string): Mutation | null {
  const at = rng.int(0, text.length - 1);
  const op = rng.pick(["delete", "double", "replace"] as const);
  const broken = op === "delete" ? text.slice(0, at) + text.slice(at + 1)
    : op === "double" ? text.slice(0, at + 1) + text.slice(at)
    : text.slice(0, at) + rng.pick([..."{}[],:\"'\\x0"]) + text.slice(at + 1);
  try {
    JSON.parse(broken);
    return null;
  } catch {
    return { kind: "invalid JSON", what: `${op} at ${at}`, valid: false, touches: [ALL], text: broken, names: "config file" };
  }
}

/** Every fixed value of every setting, every env, password, unknown-key, group and file mutation: once each. */
export function namedMutations(ctx: Context, exampleText: string): Mutation[] {
  const settings = KEYS.flatMap((key) => {
    const values = fixedValues(key, SPEC[key]!);
    // Numbers: the bounds, 1e400 and two wrong types here; the PRNG draws the rest
    const picked = SPEC[key]!.type === "int" || SPEC[key]!.type === "number"
      ? values.filter((v) => v.kind === "in range" || (v.value instanceof RawJson && v.value.json === "1e400") || v.value === "abc" || v.value === null)
      : values;
    return picked.map((value) => setting(key, value));
  });
  const garbage = GROUPS.flatMap((group, i) => [GROUP_GARBAGE[i % GROUP_GARBAGE.length], GROUP_GARBAGE[(i + 3) % GROUP_GARBAGE.length]].map((g) => groupGarbage(group, g)));
  return [...settings, ...envMutations(ctx), ...passwordMutations(ctx), ...unknownKeys(ctx), ...garbage, ...fileMutations(ctx, exampleText)]
    // the thresholds' bounds: warn at max or crit at 0 is warn >= crit against the other's default
    .map((m) => (/^thresholds\.\w+\.warn = (100|200|1000)$|^thresholds\.\w+\.crit = 0$/.test(m.what) ? { ...m, valid: false, kind: "warn >= crit", names: m.names!.replace(/crit$/, "warn") } : m))
    .map((m) => ({ ...m, what: m.what.split(ctx.secret).join("<secret>") }));
}

function randomMutation(rng: Prng, ctx: Context, doc: Record<string, unknown>, named: Mutation[], exampleText: string, valid: boolean): Mutation | null {
  const roll = rng.next();
  if (roll < 0.45) {
    const key = rng.pick(KEYS);
    const spec = SPEC[key]!;
    if (spec.type === "int" || spec.type === "number") {
      const value = numberValue(key, spec, rng, doc);
      return value.valid === valid ? setting(key, value) : null;
    }
  }
  if (!valid && roll > 0.95) return corrupted(rng, exampleText);
  const pool = named.filter((m) => m.valid === valid);
  return rng.pick(pool);
}

const overlaps = (a: string, b: string) => a === ALL || b === ALL || a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** Valid mutations first (each sees the config the ones before made), then at most one invalid. */
export function randomCase(rng: Prng, ctx: Context, base: Record<string, unknown>, named: Mutation[], exampleText: string, id: string): FuzzCase {
  const doc = structuredClone(base);
  const wanted = { valid: rng.int(0, 3), invalid: rng.chance(0.55) ? 1 : 0 };
  const mutations: Mutation[] = [];
  for (const valid of [...Array(wanted.valid).fill(true), ...Array(wanted.invalid).fill(false)] as boolean[]) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const m = randomMutation(rng, ctx, doc, named, exampleText, valid);
      if (!m || mutations.some((o) => o.touches.some((t) => m.touches.some((u) => overlaps(t, u))))) continue;
      m.edit?.(doc);
      mutations.push(m);
      break;
    }
  }
  return assemble(id, base, mutations);
}

export function assemble(id: string, base: Record<string, unknown>, mutations: Mutation[]): FuzzCase {
  const doc = structuredClone(base);
  for (const m of mutations) m.edit?.(doc);
  const whole = mutations.find((m) => m.text !== undefined || m.configPath !== undefined);
  const text = whole ? whole.text ?? null : serialize(doc);
  return {
    id,
    mutations,
    valid: mutations.every((m) => m.valid),
    text,
    configPath: whole?.configPath ?? null,
    env: Object.assign({}, ...mutations.map((m) => m.env ?? {})) as Record<string, string>,
  };
}

/** JSON.stringify, with RawJson values written as their text (1e400 cannot be a JS number and stay 1e400). */
function serialize(doc: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(doc, (_key, value: unknown) => (value instanceof RawJson ? `\u0000raw${raws.push(value.json) - 1}\u0000` : value), 2);
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_, i: string) => raws[Number(i)]!);
}
