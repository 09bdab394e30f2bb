// XEP-0323 readout stanzas: <accepted/> in the IQ result, then the fields in one message marked done.
// https://xmpp.org/extensions/xep-0323.html#readmomentary (the same in 0.2 and 0.6)
// One <fields done='true'/> rather than a separate <done/>: slixmpp 1.8 has no handler for <done/>.
import { xml, type Element } from "@xmpp/client";
import type { SensorField } from "./fields.js";
import { NS_SENSOR_DATA } from "./request.js";

/** xs:dateTime in UTC, to the second like the XEP's examples. */
export const xsDateTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export const accepted = (seqnr: string) => xml("accepted", { xmlns: NS_SENSOR_DATA, seqnr });

function fieldElement(f: SensorField): Element {
  const types = Object.fromEntries(f.types.map((t) => [t, "true"]));
  // 0.6 §5.6: a field without a QoS flag may be read as automaticReadout; saying it costs little
  return xml(f.kind, { name: f.name, ...types, automaticReadout: "true", value: f.value, unit: f.kind === "numeric" ? f.unit ?? "" : undefined });
}

export function fieldsMessage({ to, seqnr, nodeId, takenAt, fields }: { to: string; seqnr: string; nodeId: string; takenAt: number; fields: SensorField[] }): Element {
  return xml(
    "message",
    { to },
    xml("fields", { xmlns: NS_SENSOR_DATA, seqnr, done: "true" }, xml("node", { nodeId }, xml("timestamp", { value: xsDateTime(takenAt) }, ...fields.map(fieldElement)))),
  );
}

/** 0.6 §3.2: the request was accepted but the reading failed. */
export function failureMessage({ to, seqnr, nodeId, at, text }: { to: string; seqnr: string; nodeId: string; at: number; text: string }): Element {
  return xml("message", { to }, xml("failure", { xmlns: NS_SENSOR_DATA, seqnr, done: "true" }, xml("error", { nodeId, timestamp: xsDateTime(at) }, text)));
}
