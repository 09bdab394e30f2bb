import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, reconnectBackoff } from "./backoff.js";

const config = reconnectBackoff(300_000);

test("reconnect delays (reconnectBackoff) grow exponentially from about 1 s and stop at the cap", () => {
  const top = (attempt: number) => backoffDelay(attempt, config, () => 1);
  assert.deepEqual([0, 1, 2, 3, 8].map(top), [1000, 2000, 4000, 8000, 256_000]);
  assert.equal(top(9), 300_000);
  assert.equal(top(1000), 300_000);
});

test("full jitter spreads the delay over the whole range, never under the floor", () => {
  assert.equal(backoffDelay(5, config, () => 0), 500);
  assert.equal(backoffDelay(5, config, () => 0.5), 16_000);
});
