import { test } from "node:test";
import assert from "node:assert/strict";
import type { SensorField } from "./fields.js";
import { accepted, failureMessage, fieldsMessage, xsDateTime } from "./readout.js";

const T = Date.parse("2013-03-07T16:24:30Z");
const temperature: SensorField = { name: "Temperature", kind: "numeric", value: "23.4", unit: "°C", types: ["momentary"] };

test("the readout is 0.6 §3.1's momentary response: one message, fields done, one node and timestamp", () => {
  const flag: SensorField = { name: "Under-voltage", kind: "boolean", value: "false", types: ["momentary", "status"] };
  const load: SensorField = { name: "Load, 1 min", kind: "numeric", value: "0.40", unit: "", types: ["momentary"] };
  assert.equal(
    fieldsMessage({ to: "client@example.org/amr", seqnr: "1", nodeId: "Device01", takenAt: T, fields: [temperature, load, flag] }).toString(),
    `<message to="client@example.org/amr"><fields xmlns="urn:xmpp:iot:sensordata" seqnr="1" done="true"><node nodeId="Device01"><timestamp value="2013-03-07T16:24:30Z">` +
      `<numeric name="Temperature" momentary="true" automaticReadout="true" value="23.4" unit="°C"/>` +
      `<numeric name="Load, 1 min" momentary="true" automaticReadout="true" value="0.40" unit=""/>` +
      `<boolean name="Under-voltage" momentary="true" status="true" automaticReadout="true" value="false"/>` +
      `</timestamp></node></fields></message>`,
  );
});

test("an accepted request answers <accepted seqnr/> in the IQ result", () => {
  assert.equal(accepted("1").toString(), `<accepted xmlns="urn:xmpp:iot:sensordata" seqnr="1"/>`);
});

test("a failed reading is 0.6 §3.2's <failure/> with the node, a timestamp and the reason", () => {
  assert.equal(
    failureMessage({ to: "c@example.org/amr", seqnr: "2", nodeId: "Device01", at: T + 123, text: "Timeout." }).toString(),
    `<message to="c@example.org/amr"><failure xmlns="urn:xmpp:iot:sensordata" seqnr="2" done="true"><error nodeId="Device01" timestamp="2013-03-07T16:24:30Z">Timeout.</error></failure></message>`,
  );
  assert.equal(xsDateTime(0), "1970-01-01T00:00:00Z");
});
