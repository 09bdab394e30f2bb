import { test } from "node:test";
import assert from "node:assert/strict";
import type { TLSSocket } from "node:tls";
import { xml } from "@xmpp/client";
import { advertisedBindings, bindingType, NS_SASL_CB, signatureHash } from "./channel-binding.js";

// Self-signed certificates made with openssl 3.0 (Debian 12) for these tests: `openssl req -x509 -newkey ... -subj /CN=t`
const CERTIFICATES = {
  "ecdsa-with-SHA256": "MIIBbDCCAROgAwIBAgIUeBM42zQ9sUV9raK0KPOeeQ3JCsowCgYIKoZIzj0EAwIwDDEKMAgGA1UEAwwBdDAeFw0yNjEyMDcxNDE4MzFaFw0yNjEyMDgxNDE4MzFaMAwxCjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATiDlZdzagBQZbiR4tw6Laxyl9awH1BNWBTosyVC0udXYTa2Uh8T0iz55ltrzIi9s0t4vr0q3x2mwjXv1EwZUNho1MwUTAdBgNVHQ4EFgQUJ1De5Gt3caF3NfaYyq9mIFx9jz4wHwYDVR0jBBgwFoAUJ1De5Gt3caF3NfaYyq9mIFx9jz4wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAtcEsLYLaKt8XJxvJmXMNnxhvtrofSu7dVV58HtV6kmwIgcidZEZpxO8KGVQfuiVo5lXBOojy6a08UW0p9CwR9g4M=",
  "ecdsa-with-SHA384": "MIIBbTCCAROgAwIBAgIUC686aeJFzIgHZLy74sQzHjiWfLUwCgYIKoZIzj0EAwMwDDEKMAgGA1UEAwwBdDAeFw0yNjEyMDcxNDE4MzFaFw0yNjEyMDgxNDE4MzFaMAwxCjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATl3mEl9Rw0kzw/tqj2HDyvJcnz6Eby95r32SuA1zq2ty5bXQWg2gyQSle2bPWF6B7vS92eup7yaAtLOJTPuTYxo1MwUTAdBgNVHQ4EFgQUoRmjysskXh5/NgCdhJ2cEHzoZmEwHwYDVR0jBBgwFoAUoRmjysskXh5/NgCdhJ2cEHzoZmEwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAwNIADBFAiEA7gAklk3peLnnIgdP1dCjCNnak7N8JbD6r6EBPV3+3eUCIHBXIYc6p/H7QnPgoeuac2oeG2oav5vuER7Ev8g9Snvc",
  "ED25519": "MIIBLDCB36ADAgECAhRqSkFoxYmmft4U5qrkO+xAC6kF6TAFBgMrZXAwDDEKMAgGA1UEAwwBdDAeFw0yNjEyMDcxNDE4MzJaFw0yNjEyMDgxNDE4MzJaMAwxCjAIBgNVBAMMAXQwKjAFBgMrZXADIQCs205RQJqjrRH7K9ytANebPtFiujjjCQUqR5WE9SLJ2aNTMFEwHQYDVR0OBBYEFH7wqAhD/0JBNZHUwJOr5ZKsqmQ3MB8GA1UdIwQYMBaAFH7wqAhD/0JBNZHUwJOr5ZKsqmQ3MA8GA1UdEwEB/wQFMAMBAf8wBQYDK2VwA0EATUzVk+LTwCvqvxlImakWeB6svs9jH7f+cjGyyPcWGLQGlbc83RBtsZ8VRwzrgVQqQkVxckQXwrLNINRaI1GJDg==",
  "sha512WithRSAEncryption": "MIIB9DCCAV2gAwIBAgIUUBPJmx0gLkgUky8Aikds+P+1Qf0wDQYJKoZIhvcNAQENBQAwDDEKMAgGA1UEAwwBdDAeFw0yNjEyMDcxNDE4MzJaFw0yNjEyMDgxNDE4MzJaMAwxCjAIBgNVBAMMAXQwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBAMwMq1eMSPdWyztg9u67xTXapemprv3Or/aVF0j4CbYWZaeM1wLlf8orx72wsj1Xm4qyeU2Ng4up22TNTfFjCNYGPi02+96kKvFj7wnMcVTuE3ZFIop4L7hs/ktagqmZgjH5mEOHuffXNd/FAjpUZifPYZNGSmAQvpa3rZ2s7iVZAgMBAAGjUzBRMB0GA1UdDgQWBBQCU38ACWJGT84klhbrHMT5qp67sjAfBgNVHSMEGDAWgBQCU38ACWJGT84klhbrHMT5qp67sjAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBDQUAA4GBAIHVonNqIQuXNYZay43pwAX4HPm0MziANmaPKGh+L9Y2+cXQiePwIC29tX2L+Po/vohp4nYJ497/2vA7c0ieg9RThJoNoYgmcaJkjD+SjwulmM8o22/zufgJgX7TRZ/EhMXRbF/PpEtEtK2yLu8UMv+Qc9tapiNbc402AypImyy4",
};

const der = (name: keyof typeof CERTIFICATES) => Buffer.from(CERTIFICATES[name], "base64");

test("RFC 5929 4.1: tls-server-end-point hashes with the certificate's signature hash", () => {
  assert.equal(signatureHash(der("ecdsa-with-SHA256")), "sha256");
  assert.equal(signatureHash(der("ecdsa-with-SHA384")), "sha384");
  assert.equal(signatureHash(der("sha512WithRSAEncryption")), "sha512");
  // Ed25519 has no separate hash: RFC 5929 defines nothing for it
  assert.equal(signatureHash(der("ED25519")), null);
  assert.equal(signatureHash(Buffer.from([0x30, 0x82, 0xff])), null);
  assert.equal(signatureHash(Buffer.alloc(0)), null);
});

test("XEP-0440: the types named in the stream features, or null when the server names none", () => {
  const features = xml("stream:features", {}, xml("sasl-channel-binding", { xmlns: NS_SASL_CB }, xml("channel-binding", { type: "tls-server-end-point" }), xml("channel-binding", { type: "tls-exporter" })));
  assert.deepEqual(advertisedBindings(features), ["tls-server-end-point", "tls-exporter"]);
  assert.equal(advertisedBindings(xml("stream:features")), null);
  assert.equal(advertisedBindings(null), null);
});

function fakeTls(protocol: string, certificate: keyof typeof CERTIFICATES | null = "ecdsa-with-SHA256") {
  return { getProtocol: () => protocol, getPeerCertificate: () => (certificate ? { raw: der(certificate) } : {}) } as unknown as TLSSocket;
}

test("the binding type: the best one both sides have; without XEP-0440 tls-unique, what such servers check", () => {
  assert.equal(bindingType(fakeTls("TLSv1.3"), ["tls-unique", "tls-server-end-point", "tls-exporter"]), "tls-exporter");
  assert.equal(bindingType(fakeTls("TLSv1.2"), ["tls-unique", "tls-server-end-point", "tls-exporter"]), "tls-server-end-point");
  assert.equal(bindingType(fakeTls("TLSv1.3", "ED25519"), ["tls-server-end-point"]), null);
  assert.equal(bindingType(fakeTls("TLSv1.3"), ["tls-x-unknown"]), null);
  assert.equal(bindingType(fakeTls("TLSv1.3"), null), "tls-unique");
  assert.equal(bindingType(fakeTls("TLSv1.2"), null), "tls-unique");
});
