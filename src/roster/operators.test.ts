import { test } from "node:test";
import assert from "node:assert/strict";
import { operatorPolicy } from "./operators.js";

const policy = operatorPolicy(["alice@example.org", "*@ops.example.org"]);

test("operators are matched as normalized bare JIDs and by *@domain", () => {
  assert.equal(policy.isOperator("Alice@Example.org/phone"), true);
  assert.equal(policy.isOperator("bob@ops.example.org/laptop"), true);
  assert.equal(policy.isOperator("mallory@example.org"), false);
  assert.equal(policy.isOperator("ops.example.org"), false, "a server JID is not an operator");
  assert.equal(policy.isOperator("alice@example.org.evil"), false);
  assert.equal(policy.isOperator(undefined), false);
  assert.deepEqual(policy.named, ["alice@example.org"]);
});
