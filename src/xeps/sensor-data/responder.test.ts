// The responder behind @xmpp/client's real middleware and iqCallee, with the network swapped for a list of
// sent stanzas: what a client would see, in the order it would see it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { client, jid, xml, type Element } from "@xmpp/client";
import { pino } from "pino";
import { healthySample } from "../../../test/support/healthy-sample.js";
import { operatorPolicy } from "../../roster/operators.js";
import { discoResponder } from "../disco.js";
import { sensorDataResponder, NS_SENSOR_DATA } from "./responder.js";

const OPERATOR = "operator@example.org/amr";

function device(freshSample = async () => healthySample({ takenAt: Date.parse("2024-05-01T12:00:00Z") })) {
  const xmpp = client({ service: "xmpp://127.0.0.1:1", domain: "example.org", username: "pi-kitchen", password: "x" });
  xmpp.reconnect.stop();
  (xmpp as { jid: unknown }).jid = jid("pi-kitchen@example.org/agent");
  const sent: Element[] = [];
  xmpp.send = async (el: Element) => void sent.push(el);
  let samples = 0;
  const disco = discoResponder({ iqCallee: xmpp.iqCallee });
  const responder = sensorDataResponder({
    xmpp,
    iqCallee: xmpp.iqCallee,
    disco,
    policy: operatorPolicy(["operator@example.org"]),
    freshSample: () => (samples++, freshSample()),
    log: pino({ level: "silent" }),
  });
  // What arrives from the server: the middleware answers IQs, the responder sends its messages
  const receive = async (stanza: Element) => {
    xmpp.emit("element", stanza);
    await new Promise((r) => setTimeout(r, 20));
  };
  return { sent, receive, disco, responder, samples: () => samples };
}

// XEP-0323 0.6 §3.1, example 1, addressed to this device
const momentaryRequest = (from = OPERATOR, id = "S0001") =>
  xml("iq", { type: "get", from, to: "pi-kitchen@example.org/agent", id }, xml("req", { xmlns: NS_SENSOR_DATA, seqnr: "1", momentary: "true" }));

test("an operator's momentary request is accepted, then the fields arrive in one message, from a fresh sample", async () => {
  const d = device();
  await d.receive(momentaryRequest());
  await d.receive(momentaryRequest(OPERATOR, "S0002"));
  assert.equal(d.samples(), 2, "one sample per request");
  const [result, message] = d.sent;
  assert.equal(result?.toString(), `<iq to="${OPERATOR}" from="pi-kitchen@example.org/agent" id="S0001" type="result"><accepted xmlns="urn:xmpp:iot:sensordata" seqnr="1"/></iq>`);
  assert.equal(message?.name, "message");
  assert.equal(message?.attrs.to, OPERATOR);
  const fields = message!.getChild("fields", NS_SENSOR_DATA)!;
  assert.equal(fields.attrs.seqnr, "1");
  assert.equal(fields.attrs.done, "true");
  const node = fields.getChild("node")!;
  assert.equal(node.attrs.nodeId, "pi-kitchen", "the node is the device's JID local part");
  const timestamp = node.getChild("timestamp")!;
  assert.equal(timestamp.attrs.value, "2024-05-01T12:00:00Z", "the time the sample was taken");
  const cpu = timestamp.getChildren("numeric").find((f) => f.attrs.name === "CPU");
  assert.deepEqual(cpu?.attrs, { name: "CPU", momentary: "true", automaticReadout: "true", value: "12.0", unit: "%" });
  assert.ok(d.disco.features().includes(NS_SENSOR_DATA), "disco#info and the caps hash list the namespace");
});

test("a stranger is rejected in both dialects' words, gets no fields, and costs no sample", async () => {
  const d = device();
  await d.receive(momentaryRequest("mallory@example.org/x"));
  assert.equal(d.sent.length, 1);
  assert.equal(
    d.sent[0]!.toString(),
    `<iq to="mallory@example.org/x" from="pi-kitchen@example.org/agent" id="S0001" type="error">` +
      `<rejected xmlns="urn:xmpp:iot:sensordata" seqnr="1"><error>Access denied: only this device's operators can read it</error></rejected>` +
      `<error type="cancel"><forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas" xml:lang="en">Access denied: only this device's operators can read it</text></error></iq>`,
  );
  assert.equal(d.samples(), 0);
});

test("a historical-only request from an operator is refused with item-not-found and no sample", async () => {
  const d = device();
  await d.receive(xml("iq", { type: "get", from: OPERATOR, id: "h1" }, xml("req", { xmlns: NS_SENSOR_DATA, seqnr: "9", historicalDay: "true" })));
  const [reply] = d.sent;
  assert.equal(reply?.attrs.type, "error");
  assert.ok(reply?.getChild("error")?.getChild("item-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas"));
  assert.equal(reply?.getChild("rejected", NS_SENSOR_DATA)?.attrs.seqnr, "9");
  assert.equal(d.sent.length, 1);
  assert.equal(d.samples(), 0);
});

test("when the reading fails, the request is accepted and a <failure/> follows with the reason", async () => {
  const d = device(async () => {
    throw new Error("/proc/stat: EACCES");
  });
  await d.receive(momentaryRequest());
  assert.equal(d.sent[0]?.getChild("accepted", NS_SENSOR_DATA)?.attrs.seqnr, "1");
  const failure = d.sent[1]?.getChild("failure", NS_SENSOR_DATA);
  assert.equal(failure?.attrs.done, "true");
  assert.equal(failure?.getChild("error")?.attrs.nodeId, "pi-kitchen");
  assert.equal(failure?.getChildText("error"), "Reading the device failed: /proc/stat: EACCES");
});

test("a cancel finds nothing queued and says so; a stopped responder sends no late readout", async () => {
  const d = device();
  await d.receive(xml("iq", { type: "get", from: OPERATOR, id: "c1" }, xml("cancel", { xmlns: NS_SENSOR_DATA, seqnr: "8" })));
  assert.ok(d.sent[0]?.getChild("error")?.getChild("item-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas"));
  assert.equal(d.sent[0]?.getChild("rejected", NS_SENSOR_DATA)?.attrs.seqnr, "8");

  const stopped = device();
  stopped.responder.stop();
  await stopped.receive(momentaryRequest());
  assert.ok(!stopped.sent.some((s) => s.is("message")));
});
