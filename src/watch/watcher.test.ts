import { test } from "node:test";
import assert from "node:assert/strict";
import { nextSlot } from "./watcher.js";

test("a device's slot is the next one on its grid, now included", () => {
  assert.equal(nextSlot(1000, 0, 500, 30_000), 30_500);
  assert.equal(nextSlot(500, 0, 500, 30_000), 500);
  assert.equal(nextSlot(400, 0, 500, 30_000), 500);
  assert.equal(nextSlot(61_000, 1000, 0, 30_000), 61_000);
  assert.equal(nextSlot(61_001, 1000, 0, 30_000), 91_000);
});

test("a thousand devices back at random moments are pinged evenly: 33 or 34 in each second of the interval", () => {
  const pingMs = 30_000;
  const devices = 1000;
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const perSecond = new Array<number>(30).fill(0);
  for (let place = 0; place < devices; place++) {
    const online = Math.floor(random() * 10_000); // the whole fleet back within 10 s, as after a server restart
    const first = nextSlot(online, 0, ((place * pingMs) / devices) | 0, pingMs);
    perSecond[Math.floor((first % pingMs) / 1000)]!++;
  }
  assert.ok(Math.min(...perSecond) >= 33 && Math.max(...perSecond) <= 34, perSecond.join(" "));
});
