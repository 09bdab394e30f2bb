import { test } from "node:test";
import assert from "node:assert/strict";
import { levelSinceStart, trackLevel } from "./level-since.js";

test("before the first sample the level has been unknown since the agent started", () => {
  assert.deepEqual(levelSinceStart(1_000), { level: null, since: 1_000 });
});

test("the first sample starts the clock, whatever its level", () => {
  assert.deepEqual(trackLevel(levelSinceStart(1_000), "ok", 1_250), { level: "ok", since: 1_250 });
});

test("samples at the same level keep the time it began; a change starts it again", () => {
  let tracked = trackLevel(levelSinceStart(0), "ok", 250);
  tracked = trackLevel(tracked, "ok", 10_250);
  assert.deepEqual(tracked, { level: "ok", since: 250 });
  tracked = trackLevel(tracked, "crit", 20_250);
  tracked = trackLevel(tracked, "crit", 3_620_250);
  assert.deepEqual(tracked, { level: "crit", since: 20_250 });
});
