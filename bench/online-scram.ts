// What SCRAM costs a login on this machine (RFC 5802 2.2: Hi() is PBKDF2-HMAC over the server's iteration
// count): sasl-scram-sha-1, which @xmpp/client 0.14 uses, computes it as one awaited WebCrypto HMAC per
// iteration; node's pbkdf2 computes the same bytes in one call, and the agent's SCRAM-SHA-256/512 uses it too.
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { median } from "./stats.js";
import { saltedPassword, scramBitops } from "../src/xmpp/scram.js";

export interface ScramCost {
  iterations: number;
  libraryMs: number;
  pbkdf2Ms: number;
  /** The agent's SCRAM-SHA-256 and -512 (src/xmpp/scram.ts saltedPassword()) at the same count: pbkdf2 too. */
  sha256Ms: number;
  sha512Ms: number;
}

type Hi = (text: string, salt: Uint8Array, iterations: number) => Promise<Uint8Array>;

/** The iteration count Prosody stored for an account (internal_hashed), as it tells every client at login. */
export async function storedIterations(dataDir: string, domain: string, user: string): Promise<number> {
  const text = await readFile(join(dataDir, "data", domain, "accounts", `${user}.dat`), "utf8");
  const count = Number(/\["iteration_count"\]\s*=\s*(\d+)/.exec(text)?.[1]);
  if (!Number.isInteger(count)) throw new Error(`no iteration_count in ${user}.dat`);
  return count;
}

// The library's own Hi(), taken before an agent in this process swaps it for pbkdf2 (src/xmpp/scram.ts)
const libraryHi = scramBitops().Hi;

export async function scramHiCost(iterations: number, runs = 3): Promise<ScramCost> {
  const Hi: Hi = libraryHi;
  const salt = randomBytes(16);
  const library: number[] = [];
  const pbkdf2: number[] = [];
  const sha256: number[] = [];
  const sha512: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const a = await Hi("bench-password", salt, iterations);
    library.push(performance.now() - t0);
    t0 = performance.now();
    const b = pbkdf2Sync("bench-password", salt, iterations, 20, "sha1");
    pbkdf2.push(performance.now() - t0);
    if (Buffer.compare(Buffer.from(a), b) !== 0) throw new Error("sasl-scram-sha-1's Hi() and pbkdf2 disagree");
    t0 = performance.now();
    await saltedPassword("sha256", "bench-password", salt, iterations);
    sha256.push(performance.now() - t0);
    t0 = performance.now();
    await saltedPassword("sha512", "bench-password", salt, iterations);
    sha512.push(performance.now() - t0);
  }
  return { iterations, libraryMs: median(library), pbkdf2Ms: median(pbkdf2), sha256Ms: median(sha256), sha512Ms: median(sha512) };
}
