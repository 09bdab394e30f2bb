import { test } from "node:test";
import assert from "node:assert/strict";
import { scramMechanism, verifyServerFinal, type ScramCredentials } from "./scram-mechanism.js";

const credentials = (flag: ScramCredentials["binding"]["flag"] = "n", data = Buffer.alloc(0)): ScramCredentials => ({
  username: "user",
  password: "pencil",
  binding: { flag, data },
  expect: { serverSignature: null, verified: false },
});

/** One exchange, the client's nonce fixed as in the RFC's example. */
async function exchange(Mechanism: ReturnType<typeof scramMechanism>, cred: ScramCredentials, serverFirst: string) {
  const mech = new Mechanism();
  const first = await mech.response(cred);
  mech.challenge(serverFirst);
  return { first, final: await mech.response(cred) };
}

test("RFC 7677 3: the SCRAM-SHA-256 example exchange, byte for byte, and its server signature is accepted", async () => {
  const cred = credentials();
  const { first, final } = await exchange(
    scramMechanism("sha256", false, () => "rOprNGfwEbeRWgbNEkqO"),
    cred,
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  );
  assert.equal(first, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  assert.equal(final, "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", cred.expect);
  assert.equal(cred.expect.verified, true);
});

test("RFC 5802 5: the SCRAM-SHA-1 example exchange, byte for byte", async () => {
  const cred = credentials();
  const { final } = await exchange(
    scramMechanism("sha1", false, () => "fyko+d2lbbFgONRv9qkxdawL"),
    cred,
    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
  );
  assert.equal(final, "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
  verifyServerFinal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", cred.expect);
});

test("a wrong server signature, or none, is refused: the server never proved it knows the password", async () => {
  const cred = credentials();
  await exchange(scramMechanism("sha256", false, () => "abc"), cred, "r=abcdef,s=c2FsdA==,i=4096");
  assert.throws(() => verifyServerFinal("v=AAAA", cred.expect), /could not prove/);
  assert.throws(() => verifyServerFinal("", cred.expect), /malformed|could not prove/);
  assert.throws(() => verifyServerFinal("e=other-error", cred.expect), /refused SCRAM: other-error/);
  assert.equal(cred.expect.verified, false);
});

test("-PLUS sends the binding type in the GS2 header and the binding data in c=", async () => {
  const data = Buffer.from("0123456789abcdef0123456789abcdef");
  const cred = credentials("p=tls-exporter", data);
  const { first, final } = await exchange(scramMechanism("sha512", true, () => "abc"), cred, "r=abcdef,s=c2FsdA==,i=4096");
  assert.equal(first, "p=tls-exporter,,n=user,r=abc");
  const c = Buffer.from(/^c=([^,]+)/.exec(final)![1]!, "base64");
  assert.deepEqual(c, Buffer.concat([Buffer.from("p=tls-exporter,,"), data]));
  assert.equal(new (scramMechanism("sha512", true))().name, "SCRAM-SHA-512-PLUS");
});

test("'y' over TLS without -PLUS goes into c= as the RFC says (eSws = 'y,,')", async () => {
  const { first, final } = await exchange(scramMechanism("sha256", false, () => "abc"), credentials("y"), "r=abcdef,s=c2FsdA==,i=1");
  assert.equal(first, "y,,n=user,r=abc");
  assert.match(final, /^c=eSws,/);
});

test("a server-first message that is hostile or broken is refused with a reason, not a crash", async () => {
  const Mechanism = scramMechanism("sha256", false, () => "abc");
  for (const [serverFirst, reason] of [
    ["r=xyz,s=c2FsdA==,i=4096", /nonce/],
    ["r=abc,s=c2FsdA==,i=4096", /nonce/],
    ["r=abcdef,s=,i=4096", /salt/],
    ["r=abcdef,s=c2FsdA==,i=999999999", /iterations/],
    ["r=abcdef,s=c2FsdA==,i=0", /iterations/],
    ["m=ext,r=abcdef,s=c2FsdA==,i=1", /extension/],
    ["e=unknown-user", /unknown-user/],
    ["garbage", /malformed/],
  ] as const) {
    await assert.rejects(exchange(Mechanism, credentials(), serverFirst), reason, serverFirst);
  }
});

test("a mechanism refuses credentials whose channel binding does not match it", async () => {
  await assert.rejects(new (scramMechanism("sha256", true))().response(credentials("n")), /needs a channel binding/);
  await assert.rejects(new (scramMechanism("sha256", false))().response(credentials("p=tls-unique")), /needs no channel binding/);
});

test("a username with ',' or '=' is escaped (RFC 5802 5.1)", async () => {
  const first = await new (scramMechanism("sha1", false, () => "abc"))().response({ ...credentials(), username: "a,b=c" });
  assert.equal(first, "n,,n=a=2Cb=3Dc,r=abc");
});
