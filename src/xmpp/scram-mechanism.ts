// SCRAM (RFC 5802, RFC 7677) as a mechanism @xmpp/sasl can run: SCRAM-SHA-1, -SHA-256, -SHA-512 and their -PLUS
// forms. sasl-scram-sha-1, which @xmpp/client 0.14 brings, knows SHA-1 only, always says "n" (no channel binding)
// and never checks the server's signature. Here the GS2 flag and the channel binding data come with the
// credentials (credentials.ts decides them), and a server that cannot prove it knows the password is refused.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { saltedPassword, scramProof, type ScramHash } from "./scram.js";

/** RFC 5802 6: "n" no channel binding, "y" we could but the server offers none, "p=TYPE" bound to the TLS link. */
export interface ScramBinding {
  flag: "n" | "y" | `p=${string}`;
  /** The channel binding data for "p=", else empty. */
  data: Buffer;
}

export interface ScramCredentials {
  username: string;
  password: string;
  binding: ScramBinding;
  /** Filled in by the exchange: what the server's final message must carry (`v=`), and whether it did. */
  expect: { serverSignature: Buffer | null; verified: boolean };
}

// Far above what servers use (Prosody 10000, ejabberd 4096): a hostile count would only burn the device's CPU
const MAX_ITERATIONS = 1_000_000;

export class ScramError extends Error {
  override name = "SCRAMError";
}

/** RFC 5802 5.1: "=" and "," in a username are escaped. */
const saslname = (name: string) => name.replace(/=/g, "=3D").replace(/,/g, "=2C");

export function parseAttributes(message: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of message.split(",")) {
    const at = part.indexOf("=");
    if (at !== 1) throw new ScramError(`malformed SCRAM message from the server: ${JSON.stringify(part.slice(0, 20))}`);
    attributes.set(part[0]!, part.slice(2));
  }
  return attributes;
}

export function scramMechanism(hash: ScramHash, plus: boolean, nonce: () => string = () => randomBytes(18).toString("base64")) {
  const name = `SCRAM-${hash.replace("sha", "SHA-")}${plus ? "-PLUS" : ""}`;
  class Scram {
    name = name;
    clientFirst = true;
    #stage: "first" | "final" | "verify" | "done" = "first";
    #clientNonce = "";
    #firstBare = "";
    #challenge = "";

    async response(cred: ScramCredentials): Promise<string> {
      if (plus !== cred.binding.flag.startsWith("p=")) throw new ScramError(`${name} needs ${plus ? "a" : "no"} channel binding`);
      if (this.#stage === "first") {
        this.#stage = "final";
        this.#clientNonce = nonce();
        this.#firstBare = `n=${saslname(cred.username)},r=${this.#clientNonce}`;
        return `${cred.binding.flag},,${this.#firstBare}`;
      }
      if (this.#stage === "final") {
        this.#stage = "verify";
        return this.#clientFinal(cred);
      }
      // A server that sends its signature as a challenge instead of in <success/> (RFC 6120 6.3.10) gets an empty answer
      verifyServerFinal(this.#challenge, cred.expect);
      this.#stage = "done";
      return "";
    }

    challenge(text: string) {
      this.#challenge = text;
    }

    async #clientFinal(cred: ScramCredentials): Promise<string> {
      const attributes = parseAttributes(this.#challenge);
      if (attributes.has("e")) throw new ScramError(`the server ended SCRAM: ${attributes.get("e")}`);
      if (attributes.has("m")) throw new ScramError("the server asks for a SCRAM extension the agent does not know");
      const serverNonce = attributes.get("r") ?? "";
      const salt = Buffer.from(attributes.get("s") ?? "", "base64");
      const iterations = Number(attributes.get("i"));
      if (!serverNonce.startsWith(this.#clientNonce) || serverNonce === this.#clientNonce) throw new ScramError("the server's SCRAM nonce does not extend ours");
      if (salt.length === 0) throw new ScramError("the server sent no SCRAM salt");
      if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
        throw new ScramError(`the server asked for ${attributes.get("i")} SCRAM iterations (1 to ${MAX_ITERATIONS} accepted)`);
      }
      const channel = Buffer.concat([Buffer.from(`${cred.binding.flag},,`), cred.binding.data]).toString("base64");
      const withoutProof = `c=${channel},r=${serverNonce}`;
      const salted = await saltedPassword(hash, cred.password, salt, iterations);
      const { clientProof, serverSignature } = scramProof(hash, salted, `${this.#firstBare},${this.#challenge},${withoutProof}`);
      cred.expect.serverSignature = serverSignature;
      return `${withoutProof},p=${clientProof.toString("base64")}`;
    }
  }
  Object.defineProperty(Scram.prototype, "name", { value: name });
  return Scram;
}

/** RFC 5802 3: the server proves it knows the password (or its keys); throws when it does not. */
export function verifyServerFinal(message: string, expect: ScramCredentials["expect"]): void {
  const attributes = parseAttributes(message);
  if (attributes.has("e")) throw new ScramError(`the server refused SCRAM: ${attributes.get("e")}`);
  const signature = Buffer.from(attributes.get("v") ?? "", "base64");
  if (!expect.serverSignature || signature.length !== expect.serverSignature.length || !timingSafeEqual(signature, expect.serverSignature)) {
    throw new ScramError("the server could not prove it knows the password (SCRAM server signature wrong): not the real server?");
  }
  expect.verified = true;
}

export const SCRAM_HASHES: ScramHash[] = ["sha512", "sha256", "sha1"];
