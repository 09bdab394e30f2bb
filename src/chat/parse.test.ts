import { test } from "node:test";
import assert from "node:assert/strict";
import { parseChatCommand } from "./parse.js";

test("commands are case-insensitive and tolerant of spaces", () => {
  assert.deepEqual(parseChatCommand("  STATUS  "), { name: "status" });
  assert.deepEqual(parseChatCommand("Cpu"), { name: "cpu" });
  assert.deepEqual(parseChatCommand("memory"), { name: "mem" });
  assert.deepEqual(parseChatCommand("/help"), { name: "help" });
});

test("silence takes minutes and an optional reason", () => {
  assert.deepEqual(parseChatCommand("silence 30 firmware  update"), { name: "silence", minutes: 30, reason: "firmware update" });
  assert.deepEqual(parseChatCommand("SILENCE 5"), { name: "silence", minutes: 5, reason: "" });
  assert.equal(parseChatCommand("silence").name, "invalid");
  assert.equal(parseChatCommand("silence -3").name, "invalid");
  assert.equal(parseChatCommand("silence 1.5").name, "invalid");
  assert.equal(parseChatCommand("silence 99999999").name, "invalid");
});

test("anything else is unknown, and the word is kept short", () => {
  assert.deepEqual(parseChatCommand("reboot now"), { name: "unknown", word: "reboot" });
  assert.equal((parseChatCommand("x".repeat(500)) as { word: string }).word.length, 40);
  assert.deepEqual(parseChatCommand(""), { name: "unknown", word: "" });
});

test("checks (or check) asks for the owner's checks", () => {
  assert.deepEqual(parseChatCommand("Checks"), { name: "checks" });
  assert.deepEqual(parseChatCommand(" check "), { name: "checks" });
});
