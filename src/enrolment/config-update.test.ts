import { test } from "node:test";
import assert from "node:assert/strict";
import { enrolledConfig } from "./config-update.js";
import { UNIT_PASSWORD_FILE } from "./files.js";

test("a missing config becomes one with the JID; the unit's credential file needs no key", () => {
  assert.deepEqual(enrolledConfig(null, { jid: "pi-42@example.org", passwordFile: UNIT_PASSWORD_FILE, operators: [] }), {
    xmpp: { jid: "pi-42@example.org" },
  });
});

test("other keys are kept; another password file is named; an old inline password goes", () => {
  const existing = { xmpp: { service: "xmpps://xmpp.example.org", password: "old", resource: "r" }, sampling: { intervalSeconds: 30 } };
  assert.deepEqual(enrolledConfig(existing, { jid: "pi-42@example.org", passwordFile: "/srv/pw", operators: [] }), {
    xmpp: { service: "xmpps://xmpp.example.org", resource: "r", jid: "pi-42@example.org", passwordFile: "/srv/pw" },
    sampling: { intervalSeconds: 30 },
  });
  assert.deepEqual(existing.xmpp.password, "old", "the input is not changed");
});

test("invited operators are added once, unless the list covers them already", () => {
  const existing = { operators: ["*@ops.example.org", "anna@example.org"] };
  const updated = enrolledConfig(existing, { jid: "pi@example.org", passwordFile: UNIT_PASSWORD_FILE, operators: ["bob@ops.example.org", "Anna@example.org", "carl@example.org", "carl@example.org"] });
  assert.deepEqual(updated.operators, ["*@ops.example.org", "anna@example.org", "carl@example.org"]);
});
