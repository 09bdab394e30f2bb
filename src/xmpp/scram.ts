// SCRAM-SHA-1's Hi() (RFC 5802 2.2) is PBKDF2-HMAC-SHA1. sasl-scram-sha-1 1.4, which @xmpp/client 0.14 logs in
// with, computes it as one awaited WebCrypto HMAC per iteration: 340-530 ms of CPU per login on x86
// (bench/online.bench.ts, "SCRAM" line), seconds on a Pi Zero, at every reconnect. Node's pbkdf2 computes the
// same bytes in about 2 ms, on the thread pool. The agent now logs in with its own SCRAM (scram-mechanism.ts,
// pbkdf2 too); useFastScram() stays for the benchmarks' bare client, which runs the library's.
import { createHash, createHmac, pbkdf2 } from "node:crypto";
import { createRequire } from "node:module";

type Hi = (text: string, salt: Uint8Array, iterations: number) => Promise<Uint8Array>;

export function pbkdf2Hi(text: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    pbkdf2(text, salt, iterations, 20, "sha1", (err, key) => (err ? reject(err) : resolve(new Uint8Array(key)))),
  );
}

/** The bitops module the SCRAM mechanism @xmpp/client uses calls Hi() through, resolved from that package. */
export function scramBitops(): { Hi: Hi } {
  const fromXmpp = createRequire(createRequire(import.meta.url).resolve("@xmpp/sasl-scram-sha-1/package.json"));
  return fromXmpp("sasl-scram-sha-1/lib/bitops.js") as { Hi: Hi };
}

export function useFastScram(): void {
  scramBitops().Hi = pbkdf2Hi;
}

// The SCRAM maths of RFC 5802 3 for every hash the agent logs in with (RFC 7677: SHA-256; SHA-512 as ejabberd
// names it); scram-mechanism.ts speaks the messages. Hi() is pbkdf2 here too.
export type ScramHash = "sha1" | "sha256" | "sha512";
const KEY_LENGTH: Record<ScramHash, number> = { sha1: 20, sha256: 32, sha512: 64 };

export function saltedPassword(hash: ScramHash, password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2(password, salt, iterations, KEY_LENGTH[hash], hash, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** ClientProof and the ServerSignature the server must answer with, for one AuthMessage. */
export function scramProof(hash: ScramHash, salted: Buffer, authMessage: string): { clientProof: Buffer; serverSignature: Buffer } {
  const hmac = (key: Buffer, text: string) => createHmac(hash, key).update(text).digest();
  const clientKey = hmac(salted, "Client Key");
  const clientSignature = hmac(createHash(hash).update(clientKey).digest(), authMessage);
  const clientProof = Buffer.from(clientKey.map((byte, i) => byte ^ clientSignature[i]!));
  return { clientProof, serverSignature: hmac(hmac(salted, "Server Key"), authMessage) };
}
