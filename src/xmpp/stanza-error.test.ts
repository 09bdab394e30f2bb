import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { stanzaError } from "./stanza-error.js";

test("a stanza error carries its condition, then an English text, then the specific condition (RFC 6120 8.3.2)", () => {
  assert.equal(stanzaError("auth", "forbidden").toString(), `<error type="auth"><forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>`);
  assert.equal(
    stanzaError("modify", "bad-request", "no such session", xml("bad-sessionid", "http://jabber.org/protocol/commands")).toString(),
    `<error type="modify"><bad-request xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>` +
      `<text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas" xml:lang="en">no such session</text>` +
      `<bad-sessionid xmlns="http://jabber.org/protocol/commands"/></error>`,
  );
});
