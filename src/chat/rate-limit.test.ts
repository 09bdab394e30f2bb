import { test } from "node:test";
import assert from "node:assert/strict";
import { tokenBuckets } from "./rate-limit.js";

test("a burst of 1,000 lines from one sender gets the burst, then one line per refill", () => {
  const limiter = tokenBuckets({ burst: 5, refillMs: 2000 });
  let allowed = 0;
  for (let i = 0; i < 1000; i++) if (limiter.allow("alice@x", 1000 + i)) allowed++;
  assert.equal(allowed, 5);
  assert.equal(limiter.allow("alice@x", 1000 + 999 + 2000), true, "a token is back after 2 s");
  assert.equal(limiter.allow("bob@x", 1500), true, "others are not affected");
});

test("the limiter forgets the least recent sender when it holds too many", () => {
  const limiter = tokenBuckets({ burst: 1, refillMs: 60_000, maxKeys: 2 });
  limiter.allow("a", 0);
  limiter.allow("b", 0);
  limiter.allow("c", 0);
  assert.equal(limiter.allow("a", 1), true, "a was evicted, so it starts with a full bucket");
});
