// XEP-0323 <req>: what a client asks for, and whether this device can answer it. Pure.
// https://xmpp.org/extensions/xep-0323.html#schema — <req> is the same in 0.2 and 0.6 (seqnr, field types,
// <node/>, <field/>, when); the versions differ in how a refusal is written, see rejection.ts.
import type { Element } from "@xmpp/client";
import type { SensorField } from "./fields.js";
import { clip } from "../clip.js";

export const NS_SENSOR_DATA = "urn:xmpp:iot:sensordata";

// 0.6 §5.5 Field Types; "all" and "historical" are shorthands for sets of these
const HISTORICAL = ["historicalSecond", "historicalMinute", "historicalHour", "historicalDay", "historicalWeek", "historicalMonth", "historicalQuarter", "historicalYear", "historicalOther"] as const;
const FIELD_TYPES = ["momentary", "peak", "status", "computed", "identity", ...HISTORICAL] as const;
export type RequestedType = (typeof FIELD_TYPES)[number];

export interface ReadoutRequest {
  seqnr: string;
  /** Empty when the request names no type: read as "all" (slixmpp's request_data without flags sends none). */
  types: ReadonlySet<RequestedType>;
  nodeIds: string[];
  fieldNames: string[];
  /** Milliseconds since the epoch, or null for "now". */
  when: number | null;
}

/** A stanza error (0.6 §3.3 table) with the text the operator reads. */
export interface Refusal {
  condition: "forbidden" | "item-not-found" | "bad-request" | "feature-not-implemented";
  text: string;
}

export const isRefusal = (x: unknown): x is Refusal => typeof x === "object" && x !== null && "condition" in x;

/** seqnr is an xs:int; a refusal echoes it so the client can match it, so it is read before anything else. */
export function readSeqnr(el: Element): string | null {
  const seqnr = el.attrs.seqnr as string | undefined;
  if (seqnr === undefined || !/^[+-]?\d{1,10}$/.test(seqnr)) return null;
  const n = Number(seqnr);
  return n >= -(2 ** 31) && n < 2 ** 31 ? seqnr : null;
}

function xsBoolean(el: Element, name: string): boolean | Refusal {
  const v = el.attrs[name] as string | undefined;
  if (v === undefined || v === "false" || v === "0") return false;
  if (v === "true" || v === "1") return true;
  return { condition: "bad-request", text: `${name}='${clip(v)}' is not a boolean (true, false, 1, 0)` };
}

export function parseRequest(el: Element): ReadoutRequest | Refusal {
  const seqnr = readSeqnr(el);
  if (seqnr === null) return { condition: "bad-request", text: "<req/> needs a seqnr attribute, a 32-bit integer" };
  const types = new Set<RequestedType>();
  for (const [attr, expands] of [...FIELD_TYPES.map((t) => [t, [t]] as const), ["historical", HISTORICAL] as const, ["all", FIELD_TYPES] as const]) {
    const on = xsBoolean(el, attr);
    if (isRefusal(on)) return on;
    if (on) expands.forEach((t) => types.add(t));
  }
  let when: number | null = null;
  if (el.attrs.when !== undefined) {
    when = Date.parse(String(el.attrs.when));
    if (Number.isNaN(when)) return { condition: "bad-request", text: `when='${clip(String(el.attrs.when))}' is not an xs:dateTime` };
  }
  return {
    seqnr,
    types,
    nodeIds: el.getChildren("node").map((n) => String(n.attrs.nodeId ?? "")),
    fieldNames: el.getChildren("field").map((f) => String(f.attrs.name ?? "")),
    when,
  };
}

// A client's clock may run a little ahead of ours; "when" that close means "now"
const WHEN_SLACK_MS = 60_000;

/** What can be refused before a sample is taken: the node, the field types, a scheduled time. */
export function checkRequest(req: ReadoutRequest, { nodeId, now }: { nodeId: string; now: number }): Refusal | null {
  const unknown = req.nodeIds.find((id) => id.toLowerCase() !== nodeId.toLowerCase());
  if (unknown !== undefined) return { condition: "item-not-found", text: `No node '${clip(unknown)}' here; this device is one node, '${nodeId}'` };
  if (req.types.size > 0 && !req.types.has("momentary") && !req.types.has("status")) {
    return { condition: "item-not-found", text: `This device reads momentary and status values only, not ${[...req.types].join(", ")}` };
  }
  if (req.when !== null && req.when > now + WHEN_SLACK_MS) {
    return { condition: "feature-not-implemented", text: "Scheduled readouts are not supported: ask without 'when' for a readout now" };
  }
  return null;
}

/** The fields asked for. <field/> names are a hint (0.6 §3.6), but naming only unknown ones is an error. */
export function selectFields(req: ReadoutRequest, fields: SensorField[]): SensorField[] | Refusal {
  const ofType = req.types.size === 0 ? fields : fields.filter((f) => f.types.some((t) => req.types.has(t)));
  if (req.fieldNames.length === 0) return ofType;
  const named = ofType.filter((f) => req.fieldNames.includes(f.name));
  if (named.length > 0) return named;
  // A request may name thousands: quote a few
  const asked = req.fieldNames.slice(0, 3).map((n) => `'${clip(n)}'`).join(", ") + (req.fieldNames.length > 3 ? ` and ${req.fieldNames.length - 3} more` : "");
  return { condition: "item-not-found", text: `No field named ${asked}; this device has: ${ofType.map((f) => f.name).join("; ")}` };
}
