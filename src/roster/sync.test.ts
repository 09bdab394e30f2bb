import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { offersPreApproval } from "./sync.js";

const features = (...children: ReturnType<typeof xml>[]) => xml("stream:features", { "xmlns:stream": "http://etherx.jabber.org/streams" }, ...children);

test("a server that lists urn:xmpp:features:pre-approval among its stream features offers pre-approval", () => {
  const offered = features(xml("sub", { xmlns: "urn:xmpp:features:pre-approval" }), xml("ver", { xmlns: "urn:xmpp:features:rosterver" }));
  assert.equal(offersPreApproval(offered), true);
});

test("stream features without it, or another nonza that carries it, offer nothing", () => {
  assert.equal(offersPreApproval(features(xml("ver", { xmlns: "urn:xmpp:features:rosterver" }))), false);
  assert.equal(offersPreApproval(xml("r", { xmlns: "urn:xmpp:sm:3" }, xml("sub", { xmlns: "urn:xmpp:features:pre-approval" }))), false);
});
