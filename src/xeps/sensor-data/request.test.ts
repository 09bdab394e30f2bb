import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { healthySample } from "../../../test/support/healthy-sample.js";
import { throttlingFromBits } from "../../sampling/parse/throttled.js";
import { healthFields, type SensorField } from "./fields.js";
import { NS_SENSOR_DATA, checkRequest, isRefusal, parseRequest, selectFields, type ReadoutRequest } from "./request.js";

const NOW = Date.parse("2024-05-01T12:00:00Z");
const fields = healthFields(healthySample());
const req = (attrs: Record<string, string>, ...children: ReturnType<typeof xml>[]) => xml("req", { xmlns: NS_SENSOR_DATA, ...attrs }, ...children);
const parsed = (el: ReturnType<typeof xml>) => {
  const r = parseRequest(el);
  if (isRefusal(r)) throw new Error(`refused: ${r.text}`);
  return r;
};
const names = (r: SensorField[] | unknown) => (r as SensorField[]).map((f) => f.name);

test("0.6 §3.1's example request (seqnr 1, momentary) reads as a momentary readout of every field", () => {
  // <req xmlns='urn:xmpp:iot:sensordata' seqnr='1' momentary='true'/>
  const r = parsed(req({ seqnr: "1", momentary: "true" }));
  assert.equal(r.seqnr, "1");
  assert.deepEqual([...r.types], ["momentary"]);
  assert.equal(checkRequest(r, { nodeId: "pi", now: NOW }), null);
  assert.deepEqual(names(selectFields(r, fields)), names(fields));
});

test("slixmpp's request_data without flags names no field type: every field comes back", () => {
  const r = parsed(req({ seqnr: "7" }));
  assert.equal(r.types.size, 0);
  assert.deepEqual(names(selectFields(r, fields)), names(fields));
});

test("a status readout gets uptime and power flags, not the momentary-only numbers", () => {
  const r = parsed(req({ seqnr: "2", status: "1" }));
  const pi = healthFields(healthySample({ throttling: throttlingFromBits(0, "sysfs get_throttled") }));
  assert.deepEqual(names(selectFields(r, pi)), [
    "Uptime",
    "Under-voltage",
    "Throttled",
    "Frequency capped",
    "Soft temperature limit",
    "Under-voltage since boot",
    "Throttled since boot",
    "Frequency capped since boot",
    "Soft temperature limit since boot",
  ]);
});

test("all='true' (0.6 §3.4) covers the types this device has; historical='true' alone does not", () => {
  const all = parsed(req({ seqnr: "4", all: "true" }));
  assert.equal(checkRequest(all, { nodeId: "pi", now: NOW }), null);
  const historical = parsed(req({ seqnr: "8", historical: "true" }));
  const refusal = checkRequest(historical, { nodeId: "pi", now: NOW });
  assert.equal(refusal?.condition, "item-not-found");
  assert.match(refusal!.text, /momentary and status values only, not historicalSecond/);
});

test("a peak-only or historicalDay-only readout is refused with item-not-found, never answered with silence", () => {
  for (const type of ["peak", "historicalDay", "computed", "identity"]) {
    assert.equal(checkRequest(parsed(req({ seqnr: "3", [type]: "true" })), { nodeId: "pi", now: NOW })?.condition, "item-not-found", type);
  }
});

test("asking for the device's own node works in any letter case; another node is item-not-found", () => {
  const own = parsed(req({ seqnr: "5", momentary: "true" }, xml("node", { nodeId: "Pi-Kitchen" })));
  assert.equal(checkRequest(own, { nodeId: "pi-kitchen", now: NOW }), null);
  // 0.6 §3.6's example node
  const other = parsed(req({ seqnr: "6", momentary: "true" }, xml("node", { nodeId: "Device04" })));
  assert.deepEqual(checkRequest(other, { nodeId: "pi-kitchen", now: NOW }), {
    condition: "item-not-found",
    text: "No node 'Device04' here; this device is one node, 'pi-kitchen'",
  });
});

test("<field/> names pick fields; only unknown names (0.6 §3.6's Energy, Power) are item-not-found", () => {
  const some = parsed(req({ seqnr: "6", momentary: "true" }, xml("field", { name: "CPU" }), xml("field", { name: "Energy" }), xml("field", { name: "Temperature" })));
  assert.deepEqual(names(selectFields(some, fields)), ["CPU", "Temperature"]);
  const none = selectFields(parsed(req({ seqnr: "6", momentary: "true" }, xml("field", { name: "Energy" }), xml("field", { name: "Power" }))), fields);
  assert.ok(isRefusal(none));
  assert.equal(none.condition, "item-not-found");
  assert.match(none.text, /^No field named 'Energy', 'Power'; this device has: CPU; Load, 1 min; Load, 5 min; /);
});

test("a request without seqnr, or with a non-boolean type, is a bad request that says what was wrong", () => {
  assert.deepEqual(parseRequest(req({ momentary: "true" })), { condition: "bad-request", text: "<req/> needs a seqnr attribute, a 32-bit integer" });
  assert.deepEqual(parseRequest(req({ seqnr: "99999999999" })), { condition: "bad-request", text: "<req/> needs a seqnr attribute, a 32-bit integer" });
  assert.deepEqual(parseRequest(req({ seqnr: "1", momentary: "yes" })), { condition: "bad-request", text: "momentary='yes' is not a boolean (true, false, 1, 0)" });
  assert.equal((parseRequest(req({ seqnr: "1", when: "tomorrow" })) as { condition: string }).condition, "bad-request");
});

test("a readout 'when' in the past or now is read now; one scheduled for later is not implemented", () => {
  const past: ReadoutRequest = parsed(req({ seqnr: "4", all: "true", when: "2013-03-07T19:00:00" }));
  assert.equal(checkRequest(past, { nodeId: "pi", now: NOW }), null);
  const soon = parsed(req({ seqnr: "4", all: "true", when: "2024-05-01T12:00:30Z" }));
  assert.equal(checkRequest(soon, { nodeId: "pi", now: NOW }), null, "30 s of clock skew reads as now");
  const later = parsed(req({ seqnr: "4", all: "true", when: "2024-05-01T13:00:00Z" }));
  assert.equal(checkRequest(later, { nodeId: "pi", now: NOW })?.condition, "feature-not-implemented");
});
