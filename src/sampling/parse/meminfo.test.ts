import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMeminfo } from "./meminfo.js";

test("meminfo without MemAvailable (old kernels) falls back to free + buffers + cached", () => {
  const m = parseMeminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 100 kB\nCached: 300 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
  assert.equal(m?.usedPercent, 50);
  assert.equal(m?.swapPercent, 0);
});
