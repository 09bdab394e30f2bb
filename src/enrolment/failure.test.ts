import { test } from "node:test";
import assert from "node:assert/strict";
import { registrationRefused, tokenRefused } from "./failure.js";

test("a used or expired token (Prosody 0.12's forbidden) is refused, with the server's words", () => {
  const failure = tokenRefused("example.org", { condition: "forbidden", type: "cancel", text: "The invite token is invalid or expired" });
  assert.equal(failure.reason, "refused");
  assert.equal(failure.message, "example.org refused the invitation (forbidden: The invite token is invalid or expired): it has expired or was used already; ask for a new one");
});

test("a server without mod_invites_register: registration closed", () => {
  assert.equal(tokenRefused("example.org", { condition: "service-unavailable", type: "cancel" }).reason, "closed");
  const closed = registrationRefused("example.org", { condition: "service-unavailable" });
  assert.ok(closed !== "taken");
  assert.equal(closed.reason, "closed");
});

test("a taken name is for the caller; throttling is try again later", () => {
  assert.equal(registrationRefused("example.org", { condition: "conflict", type: "cancel" }), "taken");
  const throttled = registrationRefused("example.org", { condition: "policy-violation", type: "wait", text: "Too many registrations from this IP address recently" });
  assert.ok(throttled !== "taken");
  assert.equal(throttled.reason, "unreachable");
  assert.match(throttled.message, /still good/);
});

test("the server's words are clipped to one line", () => {
  const failure = registrationRefused("example.org", { condition: "not-acceptable", text: `a\n\n${"x".repeat(500)}` });
  assert.ok(failure !== "taken");
  assert.equal(failure.reason, "closed");
  assert.ok(failure.message.length < 300);
  assert.equal(failure.message.includes("\n"), false);
});
