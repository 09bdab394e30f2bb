import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { MAX_ECHO_CHARS, withoutLargeEcho } from "./error-echo.js";

const error = () => xml("error", { type: "cancel" }, xml("service-unavailable", "urn:ietf:params:xml:ns:xmpp-stanzas"));

test("an error reply keeps a small copy of the request, and loses a large one (it could pass the server's size limit)", () => {
  const small = withoutLargeEcho(xml("iq", { type: "error", id: "1" }, xml("query", "urn:x"), error()));
  assert.deepEqual(small.getChildElements().map((c) => c.name), ["query", "error"]);
  const large = withoutLargeEcho(xml("iq", { type: "error", id: "2" }, xml("blob", "urn:x", "x".repeat(MAX_ECHO_CHARS + 1)), error()));
  assert.deepEqual(large.getChildElements().map((c) => c.name), ["error"]);
});

test("results and other stanzas go out untouched, whatever their size", () => {
  const body = "x".repeat(MAX_ECHO_CHARS * 2);
  assert.equal(withoutLargeEcho(xml("iq", { type: "result" }, xml("query", "urn:x", body))).getChildElements().length, 1);
  assert.equal(withoutLargeEcho(xml("message", {}, xml("body", {}, body))).getChildText("body"), body);
});
