import { test } from "node:test";
import assert from "node:assert/strict";
import { envProblems, fileProblems } from "./shape.js";

test("XMPP_ALLOW_INSECURE takes true or false only: \"0\" or \"maybe\" must not allow a plaintext login", () => {
  for (const value of ["0", "no", "maybe", "", " false"]) {
    const shownValue = /^[^\s]+$/.test(value) ? value : JSON.stringify(value);
    assert.deepEqual(envProblems({ XMPP_ALLOW_INSECURE: value }), [`XMPP_ALLOW_INSECURE=${shownValue}: xmpp.allowInsecure must be true or false`]);
  }
  assert.deepEqual(envProblems({ XMPP_ALLOW_INSECURE: "false", AGENT_INTERVAL: " 2.5 " }), []);
});

test("AGENT_INTERVAL=\"5m\" is refused instead of read as 5 seconds", () => {
  assert.match(envProblems({ AGENT_INTERVAL: "5m" })[0]!, /^AGENT_INTERVAL=5m: sampling\.intervalSeconds must be a number/);
});

test("a file's wrong shapes are refused by key, without showing a password", () => {
  assert.deepEqual(
    fileProblems({
      operators: { alice: "a@x.org" },
      thresholds: { cpu: null },
      presence: { raiseAfter: "3 samples" },
      xmpp: { password: 12345678, "allow-insecure": true },
      "log.level": "debug",
    }),
    [
      "operators: must be a list, found an object",
      "thresholds.cpu: must be an object with warn, crit, found null",
      'presence.raiseAfter: must be a number, found string "3 samples"',
      "xmpp.password: must be a string, found a number",
      "xmpp.allow-insecure: is not a known setting",
      'log.level: is not a known setting (nest it: {"log": {"level": ...}})',
    ],
  );
  assert.deepEqual(fileProblems(JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>), ["__proto__: is not a known setting"]);
});
