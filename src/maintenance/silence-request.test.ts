import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_REASON, MAX_SILENCE_MINUTES, silenceMinutes, silenceReason } from "./silence-request.js";

test("a silence lasts a whole number of minutes, from 1 to a week", () => {
  assert.equal(MAX_SILENCE_MINUTES, 10_080);
  assert.equal(silenceMinutes("1"), 1);
  assert.equal(silenceMinutes("090"), 90);
  assert.equal(silenceMinutes("10080"), 10_080);
  for (const wrong of ["", "0", "10081", "99999999", "-3", "1.5", "1e2", "+5", "0x10", " 5", "five"]) {
    assert.equal(silenceMinutes(wrong), null, wrong);
  }
});

test("a reason longer than a status line has room for is cut", () => {
  assert.equal(silenceReason("firmware update"), "firmware update");
  assert.equal(silenceReason("x".repeat(500)), "x".repeat(MAX_REASON));
  assert.equal(MAX_REASON, 100);
});
