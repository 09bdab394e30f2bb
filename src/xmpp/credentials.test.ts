import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseMechanism } from "./credentials.js";

const overTls = { secure: true, insecureAllowed: false, binding: "tls-exporter" as const };
const loopback = { secure: false, insecureAllowed: true, binding: null };

test("the strongest SCRAM the server offers wins; -PLUS whenever offered over TLS", () => {
  const ejabberd = ["SCRAM-SHA-512-PLUS", "SCRAM-SHA-512", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN"];
  assert.deepEqual(chooseMechanism(ejabberd, overTls), { mechanism: "SCRAM-SHA-512-PLUS", flag: "p=tls-exporter" });
  // A weaker hash with channel binding beats a stronger one without: the binding is what stops a man in the middle
  assert.deepEqual(chooseMechanism(["SCRAM-SHA-512", "SCRAM-SHA-1-PLUS"], overTls), { mechanism: "SCRAM-SHA-1-PLUS", flag: "p=tls-exporter" });
  assert.deepEqual(chooseMechanism(["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"], overTls), { mechanism: "SCRAM-SHA-256", flag: "y" });
});

test("RFC 5802 6: over TLS without -PLUS the flag is 'y' (a stripped -PLUS is then noticed); on a plain link 'n'", () => {
  assert.deepEqual(chooseMechanism(["SCRAM-SHA-1"], overTls), { mechanism: "SCRAM-SHA-1", flag: "y" });
  assert.deepEqual(chooseMechanism(["SCRAM-SHA-1", "SCRAM-SHA-1-PLUS"], loopback), { mechanism: "SCRAM-SHA-1", flag: "n" });
});

test("XEP-0440: -PLUS offered but no binding type in common is refused, never plain SCRAM instead", () => {
  const choice = chooseMechanism(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN"], { ...overTls, binding: null });
  assert.ok("refused" in choice);
  assert.match(choice.refused, /SCRAM-SHA-256-PLUS but no channel binding type/);
});

test("PLAIN only over TLS or where insecure is allowed; nothing usable is said with what was offered", () => {
  assert.deepEqual(chooseMechanism(["PLAIN"], overTls), { mechanism: "PLAIN", flag: "n" });
  assert.deepEqual(chooseMechanism(["PLAIN"], loopback), { mechanism: "PLAIN", flag: "n" });
  assert.deepEqual(chooseMechanism(["PLAIN", "X-OAUTH2"], { secure: false, insecureAllowed: false, binding: null }), {
    refused: "no usable SASL mechanism (server offers PLAIN, X-OAUTH2)",
  });
});
