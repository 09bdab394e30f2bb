import { test } from "node:test";
import assert from "node:assert/strict";
import { client, xml, type Element } from "@xmpp/client";
import { countHandledStanzas } from "./handled-count.js";

const NS_SM = "urn:xmpp:sm:3";

/** A real @xmpp/client whose parsed elements the test feeds in, and whose <a/> answers it keeps. */
function fedClient() {
  const xmpp = client({ service: "xmpp://127.0.0.1:1", domain: "localhost" });
  const acks: string[] = [];
  xmpp.send = async (el: Element) => {
    if (el.is("a", NS_SM)) acks.push(String(el.attrs.h));
  };
  countHandledStanzas(xmpp);
  const feed = (...elements: Element[]) => elements.forEach((el) => xmpp.emit("element", el));
  return { xmpp, acks, feed };
}
const handled = (xmpp: ReturnType<typeof client>) => (xmpp.streamManagement as unknown as { inbound: number }).inbound;
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("an IQ result our own request consumed is counted, so the server can drop it from its queue", async () => {
  const { xmpp, acks, feed } = fedClient();
  const asked = xmpp.iqCaller.request(xml("iq", { type: "get", id: "p1", to: "localhost" }, xml("ping", "urn:xmpp:ping")));
  await settle();
  feed(xml("enabled", { xmlns: NS_SM, id: "s1" }), xml("iq", { type: "result", id: "p1", from: "localhost" }), xml("r", { xmlns: NS_SM }));
  await asked;
  await settle();
  assert.deepEqual(acks, ["1"]);
});

test("after a failed resume, an <r/> in the same packet as <enabled/> is answered with the new session's count", async () => {
  const { xmpp, acks, feed } = fedClient();
  feed(...Array.from({ length: 8 }, () => xml("message", { type: "chat" }, xml("body", {}, "hi"))));
  assert.equal(handled(xmpp), 8, "counted for a resume of the old session");
  feed(xml("failed", { xmlns: NS_SM }));
  // ejabberd's answer to <iq roster/><enable/>: all three in one packet, parsed before any promise runs
  feed(xml("enabled", { xmlns: NS_SM, id: "s2" }), xml("iq", { type: "result", id: "unknown", from: "localhost" }), xml("r", { xmlns: NS_SM }));
  await settle();
  assert.deepEqual(acks, ["1"]);
});

test("a resumed session goes on counting; offline forgets the count", () => {
  const { xmpp, feed } = fedClient();
  feed(xml("enabled", { xmlns: NS_SM, id: "s3" }), xml("presence"), xml("presence"));
  feed(xml("resumed", { xmlns: NS_SM, h: "0", previd: "s3" }), xml("presence"));
  assert.equal(handled(xmpp), 3);
  xmpp.emit("offline");
  assert.equal(handled(xmpp), 0);
});
