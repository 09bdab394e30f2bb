import { test } from "node:test";
import assert from "node:assert/strict";
import { usernameFromHostname, withSuffix } from "./username.js";

test("a hostname becomes a plain account name", () => {
  assert.equal(usernameFromHostname("raspberrypi"), "raspberrypi");
  assert.equal(usernameFromHostname("Pi Kitchen_2.local"), "pi-kitchen_2");
  assert.equal(usernameFromHostname("gewächshaus-3"), "gewachshaus-3");
  assert.equal(usernameFromHostname("--pi--"), "pi");
});

test("a hostname with nothing usable becomes device, a long one is cut", () => {
  assert.equal(usernameFromHostname("温室"), "device");
  assert.equal(usernameFromHostname(""), "device");
  assert.equal(usernameFromHostname(`${"a".repeat(60)}`).length, 48);
});

test("the suffix is four letters that read aloud without doubt", () => {
  assert.equal(withSuffix("raspberrypi", new Uint8Array([0, 1, 31, 32])), "raspberrypi-ab9a");
});
