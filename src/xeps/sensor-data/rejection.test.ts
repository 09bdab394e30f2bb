import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { rejected, replaceEcho, refusalError } from "./rejection.js";

test("a refusal carries 0.6's stanza error and 0.2's <rejected/>, so both kinds of client read it", () => {
  const refusal = { condition: "forbidden", text: "Access denied." } as const;
  assert.equal(
    refusalError(refusal).toString(),
    `<error type="cancel"><forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas" xml:lang="en">Access denied.</text></error>`,
  );
  assert.equal(refusalError({ condition: "bad-request", text: "x" }).attrs.type, "modify");
  // 0.2 §3.3: <rejected xmlns='urn:xmpp:iot:sensordata' seqnr='3'><error>Access denied.</error></rejected>
  assert.equal(rejected("3", refusal).toString(), `<rejected xmlns="urn:xmpp:iot:sensordata" seqnr="3"><error>Access denied.</error></rejected>`);
});

test("the request echoed into an error reply becomes the <rejected/> element, in place", () => {
  const iq = xml("iq", { type: "error" }, xml("req", { xmlns: "urn:xmpp:iot:sensordata", seqnr: "3", momentary: "true" }, xml("field", { name: "x" })));
  replaceEcho(iq.getChild("req")!, rejected("3", { condition: "forbidden", text: "Access denied." }));
  assert.equal(iq.toString(), `<iq type="error"><rejected xmlns="urn:xmpp:iot:sensordata" seqnr="3"><error>Access denied.</error></rejected></iq>`);
  assert.equal(iq.getChild("rejected", "urn:xmpp:iot:sensordata")?.getChildText("error"), "Access denied.");
});
