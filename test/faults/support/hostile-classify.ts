// What a stranger may get back from the device, and what would be a leak. The device's readings are chosen so
// its numbers are easy to spot, and every class of answer that carries data is named by its shape.
import type { Element } from "@xmpp/client";
import type { HealthSample } from "../../../src/sampling/sample.js";

export const DEVICE_VERSION = "9.8.7-hostile";

/** The scripted sampler's readings: CPU 37.7% (chat and presence say 38%), RAM 61.3% of 987654321 B, 52.9°C. */
export const DEVICE_READINGS: Partial<HealthSample> = {
  cpuPercent: 37.7,
  memoryPercent: 61.3,
  memoryTotalBytes: 987_654_321,
  memoryAvailableBytes: 382_222_222,
  temperature: { celsius: 52.9, source: "thermal_zone0 (cpu-thermal)" },
  disks: [{ mount: "/", mounted: true, usedPercent: 44.4, usedBytes: 14_444_444_444, totalBytes: 32_532_532_532 }],
  network: [{ iface: "eth0", rxBytesPerSec: 7331, txBytesPerSec: 1337 }],
  uptimeSeconds: 271_828,
};

/** Text only the device's data answers contain (the stranger's stanzas never do). */
const MARKERS = ["37.7", "38%", "61.3", "61%", "52.9", "53°C", "44.4", "987654321", "941.9 MiB", "271828", "3d3h", DEVICE_VERSION, "thermal_zone0", "CPU ", "RAM "];

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const NS_SENSOR_DATA = "urn:xmpp:iot:sensordata";
/** Refusals that give nothing away. */
export const ALLOWED_CONDITIONS = new Set(["forbidden", "service-unavailable", "bad-request", "item-not-found", "feature-not-implemented", "not-allowed", "recipient-unavailable"]);

export interface Verdict {
  /** e.g. "iq error forbidden", "iq result pong", "presence unsubscribed". */
  label: string;
  /** Why this stanza gives the stranger something it must not have; null when it does not. */
  leak: string | null;
}

const texts = (el: Element): string[] => [
  ...Object.values(el.attrs).map(String),
  ...el.children.flatMap((c) => (typeof c === "string" ? [c] : texts(c))),
];
const marked = (el: Element) => MARKERS.find((m) => texts(el).some((t) => t.includes(m))) ?? null;

/**
 * One stanza the stranger got from the device's JID (full: the agent; bare: the server answering for the
 * account). `asked` is what the stranger's IQ with that id carried (its child's name and namespace), so an
 * error's copy of the request (RFC 6120 8.3.1) is told apart from anything the device added.
 */
export function classify(stanza: Element, asked: Map<string, { name: string; xmlns: string }>): Verdict {
  const type = (stanza.attrs.type as string | undefined) ?? "";
  if (!String(stanza.attrs.from).includes("/")) return serverVerdict(stanza, type);
  if (stanza.is("message")) {
    if (type !== "error") return { label: `message ${type || "normal"}`, leak: `a message from the device: ${String(stanza).slice(0, 300)}` };
    return errorVerdict("message", stanza, null);
  }
  if (stanza.is("presence")) {
    if (type === "unsubscribed" || type === "error") return { label: `presence ${type}`, leak: type === "error" ? errorVerdict("presence", stanza, null).leak : null };
    return { label: `presence ${type || "available"}`, leak: `a presence the stranger may not see: ${String(stanza).slice(0, 300)}` };
  }
  if (!stanza.is("iq")) return { label: stanza.name, leak: `unexpected ${stanza.name}` };
  const request = asked.get(String(stanza.attrs.id));
  if (type === "error") return errorVerdict("iq", stanza, request ?? null);
  if (type !== "result") return { label: `iq ${type}`, leak: `the device sent the stranger an iq ${type}: ${String(stanza).slice(0, 300)}` };
  return resultVerdict(stanza);
}

/**
 * From the device's bare JID: the server answering for the account (RFC 6121 4.3.2 probes, 8.5.1 IQs to a
 * bare JID): its own clock and disco, "unavailable" to a probe. Never the agent's data.
 */
function serverVerdict(stanza: Element, type: string): Verdict {
  const label = `bare JID: ${stanza.name} ${type || "normal"}${stanza.getChildElements()[0] ? ` <${stanza.getChildElements()[0]!.name}>` : ""}`;
  const inside = marked(stanza);
  if (inside) return { label, leak: `the server's answer carries "${inside}": ${String(stanza).slice(0, 300)}` };
  if (stanza.is("presence") && type === "unavailable" && stanza.getChildElements().length > 0) return { label, leak: `an unavailable presence with a status: ${String(stanza)}` };
  const agentData = ["jabber:iq:version", "jabber:iq:last", NS_SENSOR_DATA, "http://jabber.org/protocol/commands", "jabber:x:data"];
  const carries = stanza.getChildElements().find((c) => c.name !== "error" && agentData.includes(String(c.attrs.xmlns)) && type === "result");
  return { label, leak: carries ? `the server answered with <${carries.name} xmlns="${carries.attrs.xmlns}">` : null };
}

function errorVerdict(kind: string, stanza: Element, request: { name: string; xmlns: string } | null): Verdict {
  const error = stanza.getChild("error");
  const condition = error?.children.find((c): c is Element => typeof c !== "string" && c.attrs.xmlns === NS_STANZAS && c.name !== "text")?.name ?? "none";
  const label = `${kind} error ${condition}`;
  if (!ALLOWED_CONDITIONS.has(condition)) return { label, leak: `error condition ${condition}: ${String(stanza).slice(0, 300)}` };
  const inError = error ? marked(error) : null;
  if (inError) return { label, leak: `the error's text carries "${inError}"` };
  for (const child of stanza.getChildElements()) {
    if (child === error) continue;
    // XEP-0323 0.2's <rejected/> stands in for the echoed <req/>: its text is the device's
    if (child.is("rejected", NS_SENSOR_DATA)) {
      // Its seqnr is the stranger's own number: only the text is the device's
      const inRejected = marked(child.getChild("error") ?? child);
      if (inRejected) return { label, leak: `<rejected/> carries "${inRejected}"` };
      continue;
    }
    const isEcho = request !== null && child.name === request.name && (child.attrs.xmlns ?? "") === request.xmlns;
    if (kind === "iq" && !isEcho) return { label, leak: `the error carries <${child.name} xmlns="${child.attrs.xmlns}"> beside a copy of the request` };
  }
  return { label, leak: null };
}

function resultVerdict(stanza: Element): Verdict {
  const payload = stanza.getChildElements();
  if (payload.length === 0) return { label: "iq result empty (pong)", leak: null };
  const [query] = payload;
  if (payload.length === 1 && query!.is("query", NS_DISCO_INFO)) {
    // Features and identities only; identity names are the software's, not the device's
    const other = query!.getChildElements().find((c) => !c.is("identity") && !c.is("feature"));
    const inQuery = marked(query!);
    return { label: "iq result disco#info", leak: other ? `disco#info carries <${other.name}>` : inQuery && `disco#info carries "${inQuery}"` };
  }
  if (payload.length === 1 && query!.is("query", NS_DISCO_ITEMS)) {
    const items = query!.getChildren("item");
    return { label: "iq result disco#items", leak: items.length ? `disco#items lists ${items.map((i) => i.attrs.node ?? i.attrs.jid).join(", ")}` : null };
  }
  return { label: `iq result <${query!.name} xmlns="${query!.attrs.xmlns}">`, leak: `an IQ result with data: ${String(stanza).slice(0, 300)}` };
}
