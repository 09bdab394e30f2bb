import { test } from "node:test";
import assert from "node:assert/strict";
import { bareJid, jidParts, resourceOf } from "./jid.js";

test("a JID compares as its lower-cased bare JID", () => {
  assert.equal(bareJid("Alice@Example.org/Phone"), "alice@example.org");
  assert.equal(bareJid("alice@example.org"), "alice@example.org");
  assert.equal(bareJid("example.org/admin"), "example.org");
  assert.equal(bareJid("room@muc.example.org/a/b@c"), "room@muc.example.org", "the resource starts at the first slash");
});

test("the resource is everything after the first slash, kept as written", () => {
  assert.equal(resourceOf("room@muc.example.org/Pi 42/x@y"), "Pi 42/x@y");
  assert.equal(resourceOf("room@muc.example.org/"), "");
  assert.equal(resourceOf("room@muc.example.org"), null);
});

test("a bare JID splits at its @ into local part and domain; a server JID has no local part", () => {
  assert.deepEqual(jidParts("pi-kitchen@example.org"), { local: "pi-kitchen", domain: "example.org" });
  assert.deepEqual(jidParts("*@ops.example.org"), { local: "*", domain: "ops.example.org" });
  assert.deepEqual(jidParts("ops.example.org"), { local: "", domain: "ops.example.org" });
  assert.deepEqual(jidParts("@example.org"), { local: "", domain: "example.org" });
});
