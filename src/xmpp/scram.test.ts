import { test } from "node:test";
import assert from "node:assert/strict";
import { pbkdf2Hi, scramBitops } from "./scram.js";

test("pbkdf2 gives the same salted password as sasl-scram-sha-1's own Hi()", async () => {
  const libraryHi = scramBitops().Hi;
  for (const [password, iterations] of [["pencil", 4096], ["pässwörd 🔑", 100], ["x", 1]] as const) {
    const salt = new Uint8Array([0x41, 0x25, 0xc2, 0x47, 0xe4, 0x3a, 0xb1, 0xe9, 0x3c, 0x6d, 0xff, 0x76]);
    assert.deepEqual(await pbkdf2Hi(password, salt, iterations), await libraryHi(password, salt, iterations));
  }
});

test("RFC 5802 5: user/pencil, salt QSXCR+Q6sek8bf92, 4096 iterations -> the SaltedPassword of the example", async () => {
  const salted = await pbkdf2Hi("pencil", Buffer.from("QSXCR+Q6sek8bf92", "base64"), 4096);
  // Known value of Hi("pencil", salt, 4096) for the RFC's example exchange
  assert.equal(Buffer.from(salted).toString("hex"), "1d96ee3a529b5a5f9e47c01f229a2cb8a6e15f7d");
});
