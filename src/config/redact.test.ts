import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "./load.js";
import { redactConfig } from "./redact.js";

test("the redacted config shows [redacted] for a password, and an empty one as empty", () => {
  const config = loadConfig({ env: { XMPP_JID: "d@x.org", XMPP_PASSWORD: "hunter2-secret" } });
  const shown = JSON.stringify(redactConfig(config));
  assert.doesNotMatch(shown, /hunter2-secret/);
  assert.match(shown, /\[redacted\]/);
  assert.equal(redactConfig(loadConfig({ env: {} })).xmpp.password, "");
});
