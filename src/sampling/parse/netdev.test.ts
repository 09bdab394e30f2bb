import { test } from "node:test";
import assert from "node:assert/strict";
import { netRates, parseNetDev } from "./netdev.js";

test("net/dev: lo excluded, rates from two snapshots, a reset counter is null rather than negative", () => {
  const header = "Inter-|   Receive\n face |bytes\n";
  const a = parseNetDev(`${header}    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n  eth0: 1000 5 0 0 0 0 0 0 2000 6 0 0 0 0 0 0\n`);
  const b = parseNetDev(`${header}  eth0:3000 9 0 0 0 0 0 0 1000 7 0 0 0 0 0 0\n  wlan0: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0\n`);
  assert.deepEqual([...a.keys()], ["eth0"]);
  assert.deepEqual(netRates(a, b, 2), [
    { iface: "eth0", rxBytesPerSec: 1000, txBytesPerSec: null },
    { iface: "wlan0", rxBytesPerSec: null, txBytesPerSec: null },
  ]);
});
