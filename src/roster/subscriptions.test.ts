import { test } from "node:test";
import assert from "node:assert/strict";
import { operatorPolicy } from "./operators.js";
import { planRoster } from "./subscriptions.js";

const policy = operatorPolicy(["alice@example.org", "*@ops.example.org"]);

test("the roster plan removes strangers and invites named operators once", () => {
  const plan = planRoster(
    [
      { jid: "mallory@example.org", subscription: "from", ask: null, approved: false },
      { jid: "bob@ops.example.org", subscription: "both", ask: null, approved: false },
    ],
    policy,
    true,
  );
  assert.deepEqual(plan, { remove: ["mallory@example.org"], preApprove: ["alice@example.org"], askSubscribe: ["alice@example.org"] });
});

test("an operator who already sees the device, or has a request pending, is not asked again", () => {
  const subscribed = planRoster([{ jid: "alice@example.org", subscription: "from", ask: null, approved: false }], policy, true);
  assert.deepEqual(subscribed, { remove: [], preApprove: [], askSubscribe: [] });
  const pending = planRoster([{ jid: "alice@example.org", subscription: "none", ask: "subscribe", approved: true }], policy, true);
  assert.deepEqual(pending, { remove: [], preApprove: [], askSubscribe: [] });
});

test("without the server's pre-approval feature nothing is pre-approved (RFC 6121 3.4)", () => {
  assert.deepEqual(planRoster([], policy, false).preApprove, []);
});
