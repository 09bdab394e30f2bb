import { test } from "node:test";
import assert from "node:assert/strict";
import { InvitationError, parseInvitation } from "./invitation.js";

// The shape `prosodyctl mod_invites generate localhost` printed (Prosody 0.12.3), token replaced
const TOKEN = "Q2x1ZS1ub3QtYS10b2tlbg12";

test("Prosody's account invitation gives the domain and the token", () => {
  assert.deepEqual(parseInvitation(`xmpp:localhost?register;preauth=${TOKEN}`), { kind: "account", domain: "localhost", user: null, token: TOKEN });
});

test("an account invitation for a named user gives that user", () => {
  assert.deepEqual(parseInvitation(`xmpp:pi-42@Example.ORG?register;preauth=${TOKEN}\n`), { kind: "account", domain: "example.org", user: "pi-42", token: TOKEN });
});

test("an operator's roster invitation gives the operator's JID; Prosody's ;ibr=y is allowed", () => {
  assert.deepEqual(parseInvitation(`xmpp:ops@example.org?roster;preauth=${TOKEN};ibr=y`), { kind: "roster", jid: "ops@example.org", token: TOKEN, ibr: true });
  assert.equal((parseInvitation(`xmpp:ops@example.org?roster;preauth=${TOKEN}`) as { ibr: boolean }).ibr, false);
});

test("percent-encoding is decoded in the user part, the domain and the token", () => {
  const parsed = parseInvitation("XMPP:j%C3%BCrgen@m%C3%BCnchen.example?register;preauth=a%2Bb%3Dc");
  assert.deepEqual(parsed, { kind: "account", domain: "münchen.example", user: "jürgen", token: "a+b=c" });
});

const refused: [string, string, RegExp][] = [
  ["a landing page", `https://example.org/invite?${TOKEN}`, /web page/],
  ["another scheme", `mailto:ops@example.org`, /not an xmpp: URI/],
  ["an authority", `xmpp://pi@example.org/ops@example.org?roster;preauth=${TOKEN}`, /no \/\//],
  ["no query", "xmpp:example.org", /no \?register or \?roster/],
  ["another action", `xmpp:example.org?join;preauth=${TOKEN}`, /action is "join"/],
  ["no token", "xmpp:example.org?register", /token is missing/],
  ["an empty token", "xmpp:example.org?register;preauth=", /token is empty/],
  ["a token twice", `xmpp:example.org?register;preauth=${TOKEN};preauth=x`, /appears twice/],
  ["a pair without =", `xmpp:example.org?register;preauth=${TOKEN};ibr`, /malformed/],
  ["a resource", `xmpp:ops@example.org/phone?roster;preauth=${TOKEN}`, /resource/],
  ["a roster invitation without a user", `xmpp:example.org?roster;preauth=${TOKEN}`, /names the operator/],
  ["a bad escape", `xmpp:example.org?register;preauth=${TOKEN}%zz`, /% that is not followed/],
  ["bad UTF-8", `xmpp:example.org?register;preauth=${TOKEN}%C3`, /not valid percent-encoded UTF-8/],
  ["a space", `xmpp:example.org?register;preauth=${TOKEN} x`, /percent-encoded/],
  ["a fragment", `xmpp:example.org?register;preauth=${TOKEN}#x`, /percent-encoded/],
  ["a bad domain", `xmpp:-bad-.example?register;preauth=${TOKEN}`, /not a host name/],
  ["a quote in the user part", `xmpp:a%22b@example.org?register;preauth=${TOKEN}`, /not a valid JID localpart/],
  ["an encoded space in the token", `xmpp:example.org?register;preauth=a%20b`, /spaces or control characters/],
];

for (const [what, uri, message] of refused) {
  test(`refused, without quoting the token: ${what}`, () => {
    assert.throws(() => parseInvitation(uri), (err: unknown) => {
      assert.ok(err instanceof InvitationError);
      assert.match(err.message, message);
      assert.equal(err.message.includes(TOKEN), false, err.message);
      return true;
    });
  });
}
