// Hostile stanzas, drawn from a seeded PRNG so a failing run can be replayed (HOSTILE_SEED=...): unknown and
// malformed IQs, guarded queries, malformed ad-hoc requests, bogus XEP-0323 requests with huge field lists,
// chat lines, bodies and payloads just under Prosody's stanza size limit, subscription spam, probes, IQ results
// and errors nobody asked for, and messages of every type. Each is one stanza a client can legally send.
import { xml, type Element } from "@xmpp/client";
import { malformedForm } from "./hostile-forms.js";
import { mulberry32 } from "./seeded-random.js";

/** Prosody's c2s_stanza_size_limit default (bytes, once authenticated); over it the sender's stream is closed. */
export const STANZA_LIMIT = 262_144;
const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const NS_COMMANDS = "http://jabber.org/protocol/commands";
const NS_SENSOR_DATA = "urn:xmpp:iot:sensordata";
const NS_DATA = "jabber:x:data";

export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Lower-case letters and a few non-ASCII characters: never one of the device's figures. */
  word(maxLength?: number): string;
  words(count: number): string;
}

/** Stanza picks from a seeded mulberry32 (seeded-random.ts). */
export function prng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const letters = "abcdefghijklmnopqrstuvwxyzéü漢字🙂";
  const chars = [...letters];
  const word = (maxLength = 12) => Array.from({ length: int(1, maxLength) }, () => chars[int(0, chars.length - (next() < 0.95 ? 6 : 1))]).join("");
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[int(0, items.length - 1)]!,
    word,
    words: (count) => Array.from({ length: count }, () => word()).join(" "),
  };
}

export interface Target {
  bare: string;
  full: string;
}

export interface Shot {
  kind: string;
  stanza: Element;
  /** A message the agent reads as a chat line (answered if the sender is an operator and within the rate). */
  chatLine: boolean;
}

export const bytes = (stanza: Element) => Buffer.byteLength(String(stanza));

/** `stanza` with `fill` (an element of it, empty) filled with text so the whole is `spare` bytes under the limit. */
function nearLimit(stanza: Element, fill: Element, rng: Rng, spare: number): Element {
  const room = STANZA_LIMIT - spare - bytes(stanza);
  const chunk = `${rng.words(20)} `;
  const text = chunk.repeat(Math.ceil(room / Buffer.byteLength(chunk)) + 1);
  // Cut by bytes, back to a whole character
  fill.children = [Buffer.from(text).subarray(0, room).toString().replace(/\uFFFD+$/, "")];
  return stanza;
}

/** Element and attribute names: ASCII letters only (an emoji is no XML name, and Prosody would close the sender's stream). */
const xmlName = (rng: Rng) => rng.word(8).replace(/[^a-z]/g, "") || "a";

function randomElement(rng: Rng, depth = 0): Element {
  const attrs: Record<string, string> = {};
  for (let i = rng.int(0, 3); i > 0; i--) attrs[xmlName(rng)] = rng.words(rng.int(0, 3));
  const children = depth < 3 ? Array.from({ length: rng.int(0, 3) }, () => (rng.chance(0.3) ? rng.words(rng.int(1, 5)) : randomElement(rng, depth + 1))) : [];
  return xml(rng.pick(["query", "x", "item", "data", "blob", "req", "command", "field"]), attrs, ...children);
}

const randomNs = (rng: Rng) => rng.pick([`urn:hostile:${rng.word(8)}`, `http://example.org/${rng.word()}#${rng.word()}`, "jabber:iq:private", "vcard-temp", "urn:xmpp:mam:2", "jabber:iq:register", ""]);

function unknownIq(rng: Rng, to: string, id: string): Element {
  const child = randomElement(rng);
  child.attrs.xmlns = randomNs(rng);
  return xml("iq", { type: rng.pick(["get", "set"]), to, id }, child);
}

function malformedIq(rng: Rng, to: string, id: string): Element {
  const type = rng.pick(["get", "set"]);
  switch (rng.int(0, 2)) {
    case 0:
      return xml("iq", { type, to, id }); // no payload: RFC 6120 8.2.3 asks for exactly one
    case 1:
      return xml("iq", { type, to, id }, xml("ping", "urn:xmpp:ping"), xml("query", "jabber:iq:version")); // two
    default:
      return xml("iq", { type, to, id }, xml("query", { xmlns: "jabber:iq:version" }, randomElement(rng), rng.words(3)));
  }
}

function query(rng: Rng, to: string, id: string): Element {
  const child = rng.pick([
    () => xml("query", "jabber:iq:version"),
    () => xml("time", "urn:xmpp:time"),
    () => xml("query", "jabber:iq:last"),
    () => xml("ping", "urn:xmpp:ping"),
    () => xml("query", "http://jabber.org/protocol/disco#info"),
    () => xml("query", { xmlns: "http://jabber.org/protocol/disco#info", node: rng.pick(["status", "silence", NS_COMMANDS, rng.word(), "x".repeat(rng.int(1, 50_000))]) }),
    () => xml("query", { xmlns: "http://jabber.org/protocol/disco#items", node: NS_COMMANDS }),
    () => xml("query", "http://jabber.org/protocol/disco#items"),
  ])();
  // Set where get is meant: unanswered handlers say service-unavailable
  return xml("iq", { type: rng.chance(0.85) ? "get" : "set", to, id }, child);
}

/** Ad-hoc requests that need no session. An operator never opens a silence session here (the dances do). */
function adhoc(rng: Rng, to: string, id: string, role: "stranger" | "operator"): Element {
  const nodes = ["status", "thresholds", "sample-now", "unsilence", rng.word(), "", "x".repeat(rng.int(1000, 100_000)), ...(role === "stranger" ? ["silence"] : [])];
  const node = rng.pick(nodes);
  const attrs: Record<string, string> = { xmlns: NS_COMMANDS, node };
  const variant = rng.int(0, 4);
  if (variant === 1) attrs.action = rng.pick(["explode", "EXECUTE", "prev", "next", "complete", "cancel", "x".repeat(rng.int(1, 20_000))]);
  if (variant === 2) {
    attrs.sessionid = rng.pick([`${rng.word()}-${rng.int(0, 1e9)}`, "00000000-0000-4000-8000-000000000000", "s".repeat(rng.int(1, 20_000))]);
    attrs.action = rng.pick(["execute", "complete", "next", "prev", "cancel"]);
  }
  if (variant === 3) attrs["xml:lang"] = rng.pick(["de", "x-klingon", "", "en-GB-oxendict"]);
  const payload = rng.chance(0.5) ? [malformedForm(rng).form].filter((x): x is Element => x !== null) : [];
  const command = variant === 4 ? xml("command", { ...attrs, xmlns: `${NS_COMMANDS}#${rng.word()}` }) : xml("command", attrs, ...payload);
  return xml("iq", { type: variant === 4 || rng.chance(0.05) ? "get" : "set", to, id }, command);
}

function sensorData(rng: Rng, to: string, id: string): Element {
  const seqnr = rng.pick([String(rng.int(0, 2 ** 31 - 1)), String(rng.int(0, 2 ** 31 - 1)), "abc", "99999999999", "-1", "", "1.5"]);
  const attrs: Record<string, string> = { xmlns: NS_SENSOR_DATA, seqnr };
  if (seqnr === "") delete attrs.seqnr;
  const flags = ["momentary", "peak", "status", "computed", "identity", "historical", "all", "historicalDay", "bogus"];
  for (let i = rng.int(0, 3); i > 0; i--) attrs[rng.pick(flags)] = rng.pick(["true", "true", "false", "1", "maybe", ""]);
  if (rng.chance(0.1)) attrs.when = rng.pick(["yesterday", "2999-01-01T00:00:00Z", "2000-01-01T00:00:00Z", rng.word()]);
  const children: Element[] = [];
  if (rng.chance(0.15)) children.push(xml("node", { nodeId: rng.pick([rng.word(), "device", "x".repeat(rng.int(1000, 60_000))]) }));
  const fieldCount = rng.pick([0, 1, 3, 10, rng.int(1000, 6000)]);
  const real = ["CPU", "Memory", "Temperature", "Uptime", "Disk /"];
  // Thousands of <field name=.../>, now and then a real one among them; kept under the size limit
  let size = bytes(xml("iq", { to, id }, xml("req", attrs, ...children)));
  for (let i = 0; i < fieldCount && size < STANZA_LIMIT - 2000; i++) {
    const field = xml("field", { name: rng.chance(0.001) ? rng.pick(real) : `f${rng.int(0, 99_999)}-${i}` });
    size += bytes(field);
    children.push(field);
  }
  const name = rng.chance(0.9) ? "req" : "cancel";
  return xml("iq", { type: rng.chance(0.95) ? "get" : "set", to, id }, xml(name, attrs, ...children));
}

const CHAT_LINES = ["cpu", "CPU", " status ", "help", "version", "mem", "disk", "temp", "net", "uptime", "/help", "?", "silence 5 drill", "silence 0", "silence -3", "silence 99999999", "silence 1.5 x", "unsilence", "reboot", "rm -rf /", "", "   "];

function chat(rng: Rng, to: Target, id: string): Shot {
  const text = rng.chance(0.7) ? rng.pick(CHAT_LINES) : rng.chance(0.5) ? rng.words(rng.int(1, 30)) : rng.words(rng.int(200, 400));
  const type = rng.pick(["chat", "chat", "chat", "normal", undefined]);
  return { kind: "chat", chatLine: true, stanza: xml("message", { to: rng.pick([to.bare, to.full]), id, ...(type ? { type } : {}) }, xml("body", {}, text)) };
}

function bigBody(rng: Rng, to: Target, id: string): Shot {
  const body = xml("body");
  const stanza = xml("message", { to: rng.pick([to.bare, to.full]), type: "chat", id }, body);
  return { kind: "big-body", chatLine: true, stanza: nearLimit(stanza, body, rng, rng.int(100, 600)) };
}

function bigIq(rng: Rng, to: string, id: string): Element {
  const blob = xml("blob", { xmlns: `urn:hostile:${rng.word(8)}` });
  return nearLimit(xml("iq", { type: rng.pick(["get", "set"]), to, id }, blob), blob, rng, rng.int(100, 600));
}

function subscription(rng: Rng, to: Target, id: string): Element {
  const type = rng.pick(["subscribe", "subscribe", "unsubscribe", "subscribed", "unsubscribed"]);
  return xml("presence", { to: rng.chance(0.9) ? to.bare : to.full, type, id }, ...(rng.chance(0.2) ? [xml("status", {}, rng.words(rng.int(1, 200)))] : []));
}

function presence(rng: Rng, to: Target, id: string): Element {
  const type = rng.pick([undefined, "unavailable", "bogus", "error"]);
  return xml(
    "presence",
    { to: rng.pick([to.bare, to.full]), id, ...(type ? { type } : {}) },
    xml("show", {}, rng.pick(["away", "dnd", "xa", "chat", rng.word()])),
    xml("status", {}, rng.words(rng.int(0, 500))),
    xml("priority", {}, rng.pick(["1", "-1", "128", "x"])),
    ...(type === "error" ? [xml("error", { type: "cancel" }, xml("service-unavailable", NS_STANZAS))] : []),
  );
}

function unsolicitedIq(rng: Rng, to: string): Element {
  const id = rng.pick([`${rng.word()}${rng.int(0, 99999)}`, "1", "", "roster-1", "ping-1"]);
  const type = rng.pick(["result", "error"]);
  const children = type === "error"
    ? rng.chance(0.8) ? [xml("error", { type: rng.pick(["cancel", "auth", "wait", rng.word()]) }, xml(rng.pick(["item-not-found", "forbidden", xmlName(rng)]), NS_STANZAS))] : []
    : rng.chance(0.5) ? [randomElement(rng)] : [];
  return xml("iq", { type, to, ...(id ? { id } : {}) }, ...children);
}

function message(rng: Rng, to: Target, id: string): Shot {
  const type = rng.pick([undefined, "chat", "normal", "headline", "groupchat", "error", "bogus"]);
  const parts = [
    ...(rng.chance(0.6) ? [xml("body", {}, rng.pick([...CHAT_LINES, rng.words(5)]))] : []),
    ...(rng.chance(0.2) ? [xml("subject", {}, rng.words(3))] : []),
    ...(rng.chance(0.2) ? [xml("thread", {}, rng.word())] : []),
    ...(rng.chance(0.2) ? [xml("delay", { xmlns: "urn:xmpp:delay", stamp: rng.pick(["2020-01-01T00:00:00Z", rng.word()]) })] : []),
    ...(rng.chance(0.2) ? [xml("active", "http://jabber.org/protocol/chatstates")] : []),
    ...(rng.chance(0.2) ? [xml("request", "urn:xmpp:receipts")] : []),
    ...(rng.chance(0.2) ? [xml("x", { xmlns: NS_DATA, type: "form" }, xml("field", { var: "x" }))] : []),
    ...(type === "error" ? [xml("error", { type: "cancel" }, xml("service-unavailable", NS_STANZAS))] : []),
    ...(rng.chance(0.2) ? [randomElement(rng)] : []),
  ];
  const answerable = type !== "error" && type !== "headline" && type !== "groupchat" && parts.some((p) => p.is("body")) && !parts.some((p) => p.is("delay"));
  return { kind: `message ${type ?? "none"}`, chatLine: answerable, stanza: xml("message", { to: rng.pick([to.bare, to.full]), id, ...(type ? { type } : {}) }, ...parts) };
}

const KINDS: [weight: number, kind: string][] = [
  [20, "unknown-iq"], [3, "malformed-iq"], [7, "query"], [12, "adhoc"], [10, "sensor-data"], [15, "chat"], [0.5, "big-body"], [0.3, "big-iq"],
  [8, "subscription"], [3, "probe"], [2, "presence"], [7, "unsolicited-iq"], [8, "message"],
];
const TOTAL = KINDS.reduce((sum, [w]) => sum + w, 0);

/** One hostile stanza; `id` is unique in the run. Never over the size limit: that would only close the sender's stream. */
export function hostileStanza(rng: Rng, to: Target, role: "stranger" | "operator", id: string): Shot {
  for (;;) {
    const shot = drawStanza(rng, to, role, id);
    if (bytes(shot.stanza) < STANZA_LIMIT - 64) return shot;
  }
}

function drawStanza(rng: Rng, to: Target, role: "stranger" | "operator", id: string): Shot {
  let roll = rng.next() * TOTAL;
  const kind = KINDS.find(([w]) => (roll -= w) < 0)?.[1] ?? "message";
  const iqTo = rng.chance(0.9) ? to.full : to.bare;
  const one = (stanza: Element): Shot => ({ kind, stanza, chatLine: false });
  switch (kind) {
    case "unknown-iq":
      return one(unknownIq(rng, iqTo, id));
    case "malformed-iq":
      return one(malformedIq(rng, iqTo, id));
    case "query":
      return one(query(rng, iqTo, id));
    case "adhoc":
      return one(adhoc(rng, to.full, id, role));
    case "sensor-data":
      return one(sensorData(rng, to.full, id));
    case "chat":
      return chat(rng, to, id);
    case "big-body":
      return bigBody(rng, to, id);
    case "big-iq":
      return one(bigIq(rng, to.full, id));
    case "subscription":
      return one(subscription(rng, to, id));
    case "probe":
      return one(xml("presence", { to: rng.pick([to.bare, to.full]), type: "probe", id }));
    case "presence":
      return one(presence(rng, to, id));
    case "unsolicited-iq":
      return one(unsolicitedIq(rng, iqTo));
    default:
      return message(rng, to, id);
  }
}
