// Which SASL mechanism we log in with, and when the password may not be sent at all: over an unencrypted link
// only to a loopback server or when xmpp.allowInsecure is set (README, "Connection").
// SCRAM before PLAIN, the strongest hash first (SHA-512, SHA-256, SHA-1); over TLS, -PLUS whenever the server
// offers it, never plain SCRAM then (RFC 5802 6; XEP-0440): a man in the middle who strips -PLUS from the list
// meets our "y" flag, which a server that offered -PLUS refuses.
import type { Authenticate, Element } from "@xmpp/client";
import { isIP } from "node:net";
import type { TLSSocket } from "node:tls";
import type { Logger } from "../log.js";
import { advertisedBindings, bindingData, bindingType, type ChannelBindingType } from "./channel-binding.js";
import { verifyServerFinal, type ScramBinding, type ScramCredentials } from "./scram-mechanism.js";

export class FatalLoginError extends Error {
  constructor(
    message: string,
    readonly kind: "auth" | "insecure",
  ) {
    super(message);
  }
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1";
}

export function serviceHost(service: string): string {
  return new URL(service.replace(/^xmpps?:/, "http:")).hostname;
}

/** What the link looks like when the server asks us to authenticate (repaired-client.ts gathers it). */
export interface SaslLink {
  secure: boolean;
  tls: TLSSocket | null;
  /** The <stream:features/> that offered the mechanisms. */
  features: Element | null;
  /** The server's final SCRAM message, sent with <success/> (RFC 6120 6.3.10), once authenticated. */
  successData(): string | null;
}

export type LoginCredentials = (authenticate: Authenticate, mechanisms: string[], link: SaslLink) => Promise<void>;

const SCRAM = ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1"];

export type MechanismChoice = { mechanism: string; flag: ScramBinding["flag"] } | { refused: string };

/** The mechanism for what the server offers (only those the client knows) and the channel binding type usable
 * on this link (null: none, or a plain link). Pure. */
export function chooseMechanism(offered: string[], { secure, insecureAllowed, binding }: { secure: boolean; insecureAllowed: boolean; binding: ChannelBindingType | null }): MechanismChoice {
  const plus = SCRAM.map((name) => `${name}-PLUS`).find((name) => offered.includes(name));
  if (secure && plus) {
    if (!binding) return { refused: `the server offers ${plus} but no channel binding type the agent can compute on this link; refusing plain SCRAM (XEP-0440)` };
    return { mechanism: plus, flag: `p=${binding}` };
  }
  const scram = SCRAM.find((name) => offered.includes(name));
  // "y": we could bind, the server appears not to (RFC 5802 6)
  if (scram) return { mechanism: scram, flag: secure ? "y" : "n" };
  if (offered.includes("PLAIN") && (secure || insecureAllowed)) return { mechanism: "PLAIN", flag: "n" };
  return { refused: `no usable SASL mechanism (server offers ${offered.join(", ") || "none"})` };
}

export interface CredentialsOptions {
  /** The service being logged in to now. */
  service: () => string;
  /** The JID's local part. */
  username: string;
  password: string;
  allowInsecure: boolean;
  log: Logger;
}

export function credentialsPolicy({ service, username, password, allowInsecure, log }: CredentialsOptions): LoginCredentials {
  return async (authenticate, mechanisms, link) => {
    const host = serviceHost(service());
    const insecureAllowed = allowInsecure || isLoopbackHost(host);
    if (!link.secure && !insecureAllowed) {
      throw new FatalLoginError(
        `refusing to send the password over an unencrypted link to ${host}: ` +
          "the server offered no TLS; use xmpps:// or a server with STARTTLS, or set xmpp.allowInsecure",
        "insecure",
      );
    }
    const binding = link.secure && link.tls ? bindingType(link.tls, advertisedBindings(link.features)) : null;
    const choice = chooseMechanism(mechanisms, { secure: link.secure, insecureAllowed, binding });
    if ("refused" in choice) throw new FatalLoginError(choice.refused, choice.refused.includes("channel binding") ? "insecure" : "auth");
    log.debug({ mechanism: choice.mechanism, gs2: choice.flag, secure: link.secure }, "authenticating");
    if (choice.mechanism === "PLAIN") return authenticate({ username, password }, "PLAIN");
    const credentials: ScramCredentials = {
      username,
      password,
      binding: { flag: choice.flag, data: choice.flag.startsWith("p=") && binding && link.tls ? bindingData(link.tls, binding) : Buffer.alloc(0) },
      expect: { serverSignature: null, verified: false },
    };
    await (authenticate as (c: ScramCredentials, m: string) => Promise<void>)(credentials, choice.mechanism);
    // RFC 5802 3: the server proves it knows the password too, in <success/> unless it did in a last challenge
    if (!credentials.expect.verified) verifyServerFinal(link.successData() ?? "", credentials.expect);
  };
}
